import { seedSyntheticScans } from '@bonescan/db';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { TurnaroundGrouping } from './analytics.types';
import type { DateRange } from './estimate';
import { turnaround } from './turnaround';

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
    const [{ id: readerId }] = await db.dataSource.query(`INSERT INTO users (email, name, role, active) VALUES ('reader@turnaround.test', 'Reader', 'CLINICIAN', true) RETURNING id`);
    const [{ id: modelId }] = await db.dataSource.query(
      `INSERT INTO model_versions (name, version, architecture, path, threshold, status, synthetic_data, card)
       VALUES ('turnaround', '1', 'vgg16-compact', '/none', 0.5, 'ACTIVE', true, '{}') RETURNING id`,
    );
    await seedSyntheticScans(db.dataSource, { count: 4000, modelVersionId: modelId, readerId, idSeed: 10 });
    // Three weeks of arrivals with spread-out durations: percentiles interpolate between distinct values, and
    // the whole range's percentiles read their bins' scans (arrival → AI) as well as take a bin's one value (whole minutes).
    await db.dataSource.query(
      `UPDATE scans SET arrived_at = now() - (hashtext(id::text || 'a') & 1023) / 1024.0 * interval '24 days',
                        predicted_at = CASE WHEN predicted_at IS NOT NULL THEN now() - (hashtext(id::text || 'a') & 1023) / 1024.0 * interval '24 days' + (hashtext(id::text || 'p') & 255) * interval '7 seconds' + (hashtext(id::text || 'q') & 1023) * interval '1 millisecond' END,
                        first_read_at = CASE WHEN first_read_at IS NOT NULL THEN now() - (hashtext(id::text || 'a') & 1023) / 1024.0 * interval '24 days' + (hashtext(id::text || 'r') & 4095) * interval '1 minute' END,
                        final_read_at = CASE WHEN final_read_at IS NOT NULL THEN now() - (hashtext(id::text || 'a') & 1023) / 1024.0 * interval '24 days' + (hashtext(id::text || 'r') & 4095) * interval '1 minute' END`,
    );
  });
  afterAll(() => db.drop());

  it('store settled periods and give the same figures as the reference, days and weeks, one site and all', async () => {
    for (const [site, grouping, target] of cases) await expectSameAsReference(site, grouping, target);
    expect(await storedPeriods()).toBeGreaterThan(20);
  });

  it('drop and recompute the periods of scans read, moved, or removed since', async () => {
    await db.dataSource.query(`UPDATE scans SET final_read_at = arrived_at + interval '3 hours', first_read_at = arrived_at + interval '2 hours' WHERE id IN (SELECT id FROM scans WHERE final_read_at IS NULL ORDER BY id LIMIT 50)`);
    await db.dataSource.query(`UPDATE scans SET arrived_at = arrived_at - interval '5 days', site = 'North' WHERE id IN (SELECT id FROM scans ORDER BY id DESC LIMIT 30)`);
    await db.dataSource.query(`DELETE FROM scans WHERE id IN (SELECT id FROM scans ORDER BY arrived_at LIMIT 20)`);
    for (const [site, grouping, target] of cases) await expectSameAsReference(site, grouping, target);
    const [{ stale }] = await db.dataSource.query(`SELECT count(*)::int AS stale FROM analytics_stale_turnaround_days`);
    expect(stale).toBe(0);
  });
});
