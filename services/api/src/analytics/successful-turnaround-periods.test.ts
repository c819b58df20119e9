import { createHash } from 'node:crypto';
import { seedSyntheticScans } from '@bonescan/db';
import { createTestDatabase, createTestModelVersion, moveTestScanClocks, type TestDatabase } from '@bonescan/db/testing';
import { TurnaroundGrouping } from './analytics.types';
import type { DateRange } from './estimate';
import { turnaround } from './turnaround';

/** A draw in [0, n) fixed by a scan's id: clocks spread out the same way every run. */
const spread = (id: string, salt: string, n: number) =>
  createHash('sha256')
    .update(id + salt)
    .digest()
    .readUInt32BE(0) % n;

/**
 * Turnaround reads settled periods from storage: every figure must equal the one query over the
 * scans that computed them all before (kept here as the reference), for days and weeks, one site
 * and all, after writes that change stored periods.
 */
describe('stored turnaround periods give what the scans give', () => {
  let db: TestDatabase;
  const DAY = 86_400_000;
  // Starts mid-day and mid-week, ends in the future: partial, settled and unsettled periods.
  const range: DateRange = { from: new Date(Date.now() - 20.3 * DAY), to: new Date(Date.now() + DAY) };

  /** The turnaround query as it was before periods were stored: one pass, ROLLUP for the whole range. */
  const reference = (r: DateRange, site: string | null, grouping: TurnaroundGrouping, target: number) =>
    db.dataSource.query(
      `WITH t AS (
         SELECT date_trunc($4, s.arrived_at, 'UTC') AS bucket,
                extract(epoch FROM s.predicted_at - s.arrived_at) / 60 AS to_ai,
                CASE WHEN s.first_read_at >= s.predicted_at THEN extract(epoch FROM s.first_read_at - s.predicted_at) / 60 END AS to_read,
                extract(epoch FROM s.final_read_at - s.arrived_at) / 60 AS to_final,
                s.final_read_at IS NULL AS open,
                coalesce(s.final_read_at, now()) - s.arrived_at > $5 * interval '1 minute' AS late
         FROM scans s WHERE s.arrived_at >= $1 AND s.arrived_at < $2 AND ($3::text IS NULL OR s.site = $3))
       SELECT bucket AS start, count(*)::int AS scans,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_ai) AS to_ai, count(to_ai)::int AS to_ai_n,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_read) AS to_read, count(to_read)::int AS to_read_n,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_final) AS to_final, count(to_final)::int AS to_final_n,
              count(*) FILTER (WHERE open)::int AS backlog, count(*) FILTER (WHERE late)::int AS over_target
       FROM t GROUP BY ROLLUP (bucket) ORDER BY bucket NULLS FIRST`,
      [r.from, r.to, site, grouping, target],
    );

  const expectSameAsReference = async (site: string | null, grouping: TurnaroundGrouping, targetMinutes: number) => {
    const [total, ...periods] = await reference(range, site, grouping, targetMinutes);
    const figures = (row: Record<string, any>) => ({
      start: row.start,
      scans: row.scans,
      arrivalToAi: { p50Minutes: row.to_ai?.[0] ?? null, p90Minutes: row.to_ai?.[1] ?? null, scans: row.to_ai_n },
      aiToFirstRead: { p50Minutes: row.to_read?.[0] ?? null, p90Minutes: row.to_read?.[1] ?? null, scans: row.to_read_n },
      arrivalToFinal: { p50Minutes: row.to_final?.[0] ?? null, p90Minutes: row.to_final?.[1] ?? null, scans: row.to_final_n },
      backlog: row.backlog,
      overTarget: row.over_target,
      overTargetShare: row.over_target / row.scans,
    });
    const withTotal = await turnaround(db.dataSource, { range, site, grouping, targetMinutes, withTotalPercentiles: true });
    expect(withTotal.periods).toEqual(periods.map(figures));
    expect(withTotal.total).toEqual(figures(total));
    // Without the whole range's percentiles its counts are still exact, summed over the periods.
    const countsOnly = await turnaround(db.dataSource, { range, site, grouping, targetMinutes, withTotalPercentiles: false });
    expect(countsOnly.periods).toEqual(withTotal.periods);
    const nullPercentiles = { p50Minutes: null, p90Minutes: null };
    expect(countsOnly.total).toEqual({
      ...withTotal.total,
      arrivalToAi: { ...withTotal.total.arrivalToAi, ...nullPercentiles },
      aiToFirstRead: { ...withTotal.total.aiToFirstRead, ...nullPercentiles },
      arrivalToFinal: { ...withTotal.total.arrivalToFinal, ...nullPercentiles },
    });
    return withTotal;
  };
  const storedPeriods = async () => (await db.dataSource.query(`SELECT count(*)::int AS n FROM analytics_turnaround_periods`))[0].n as number;
  const cases: Array<[string | null, TurnaroundGrouping, number]> = [
    [null, TurnaroundGrouping.DAY, 1440],
    [null, TurnaroundGrouping.WEEK, 1440],
    ['North', TurnaroundGrouping.WEEK, 90],
    ['South', TurnaroundGrouping.DAY, 90],
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    const [{ id: readerId }] = await db.dataSource.query(
      `INSERT INTO users (email, name, role, active) VALUES ('reader@turnaround.test', 'Reader', 'CLINICIAN', true) RETURNING id`,
    );
    const { id: modelId } = await createTestModelVersion(db.dataSource, { name: 'turnaround', version: '1' });
    await seedSyntheticScans(db.dataSource, { count: 4000, modelVersionId: modelId, readerId, idSeed: 10 });
    // Three weeks of arrivals with spread-out durations: percentiles interpolate between distinct values, and
    // the whole range's percentiles read their bins' scans (arrival → AI) as well as take a bin's one value (whole minutes).
    const scans: Array<{ id: string; predicted: boolean; first_read: boolean; final_read: boolean }> = await db.dataSource.query(
      `SELECT id, predicted_at IS NOT NULL AS predicted, first_read_at IS NOT NULL AS first_read, final_read_at IS NOT NULL AS final_read FROM scans`,
    );
    const now = Date.now();
    await moveTestScanClocks(
      db.dataSource,
      scans.map((scan) => {
        const toRead = spread(scan.id, 'r', 4096);
        return {
          id: scan.id,
          arrivedAt: new Date(now - (spread(scan.id, 'a', 1024) / 1024) * 24 * DAY),
          toAiMinutes: scan.predicted ? (spread(scan.id, 'p', 256) * 7 + spread(scan.id, 'q', 1024) / 1000) / 60 : undefined,
          toFirstReadMinutes: scan.first_read ? toRead : undefined,
          toFinalReadMinutes: scan.final_read ? toRead : undefined,
        };
      }),
    );
  });
  afterAll(() => db.drop());

  it('store settled periods and give the same figures as the reference, days and weeks, one site and all', async () => {
    for (const [site, grouping, target] of cases) await expectSameAsReference(site, grouping, target);
    expect(await storedPeriods()).toBeGreaterThan(20);
  });

  it('drop and recompute the periods of scans read, moved, or removed since', async () => {
    const unread: Array<{ id: string }> = await db.dataSource.query(`SELECT id FROM scans WHERE final_read_at IS NULL ORDER BY id LIMIT 50`);
    await moveTestScanClocks(
      db.dataSource,
      unread.map(({ id }) => ({ id, toFirstReadMinutes: 120, toFinalReadMinutes: 180 })),
    );
    const last: Array<{ id: string }> = await db.dataSource.query(`SELECT id FROM scans ORDER BY id DESC LIMIT 30`);
    await moveTestScanClocks(
      db.dataSource,
      last.map(({ id }) => ({ id, arrivalShiftMinutes: -5 * 24 * 60, site: 'North' })),
    );
    await db.dataSource.query(`DELETE FROM scans WHERE id IN (SELECT id FROM scans ORDER BY arrived_at LIMIT 20)`);
    for (const [site, grouping, target] of cases) await expectSameAsReference(site, grouping, target);
    const [{ stale }] = await db.dataSource.query(`SELECT count(*)::int AS stale FROM analytics_stale_turnaround_days`);
    expect(stale).toBe(0);
  });
});
