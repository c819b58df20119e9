import type { DataSource, EntityManager } from 'typeorm';
import type { DurationPercentiles, Turnaround, TurnaroundGrouping, TurnaroundPeriod } from './analytics.types';
import type { DateRange } from './estimate';

const minutes = (later: string, earlier: string) => `extract(epoch FROM ${later} - ${earlier}) / 60`;

/**
 * The turnaround of each scan that arrived where `where` says, with $site the site (or NULL for
 * all) and $target the target in minutes: the one definition every figure below is computed from.
 */
const scansOf = (where: string, site: string, target: string) => `SELECT s.arrived_at,
    ${minutes('s.predicted_at', 's.arrived_at')} AS to_ai,
    CASE WHEN s.first_read_at >= s.predicted_at THEN ${minutes('s.first_read_at', 's.predicted_at')} END AS to_read,
    ${minutes('s.final_read_at', 's.arrived_at')} AS to_final,
    s.final_read_at IS NULL AS open,
    coalesce(s.final_read_at, now()) - s.arrived_at > ${target} * interval '1 minute' AS late
  FROM scans s WHERE ${where} AND (${site}::text IS NULL OR s.site = ${site})`;

const FIGURES = `count(*)::int AS scans,
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_ai) AS to_ai, count(to_ai)::int AS to_ai_n,
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_read) AS to_read, count(to_read)::int AS to_read_n,
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_final) AS to_final, count(to_final)::int AS to_final_n,
  count(*) FILTER (WHERE open)::int AS backlog, count(*) FILTER (WHERE late)::int AS over_target`;

/** Length of a day or a week in UTC, where neither has daylight saving; $1 is the grouping wherever it is used. */
const STEP = `CASE $1::text WHEN 'day' THEN interval '24 hours' ELSE interval '168 hours' END`;

interface PeriodRow {
  start: Date | null;
  scans: number;
  to_ai: number[] | null;
  to_ai_n: number;
  to_read: number[] | null;
  to_read_n: number;
  to_final: number[] | null;
  to_final_n: number;
  backlog: number;
  over_target: number;
}

const percentiles = (values: number[] | null, scans: number): DurationPercentiles => ({
  p50Minutes: values?.[0] ?? null,
  p90Minutes: values?.[1] ?? null,
  scans,
});

const period = (row: PeriodRow): TurnaroundPeriod => ({
  start: row.start,
  scans: row.scans,
  arrivalToAi: percentiles(row.to_ai, row.to_ai_n),
  aiToFirstRead: percentiles(row.to_read, row.to_read_n),
  arrivalToFinal: percentiles(row.to_final, row.to_final_n),
  backlog: row.backlog,
  overTarget: row.over_target,
  overTargetShare: row.scans === 0 ? null : row.over_target / row.scans,
});

/** Counts of the whole range added up from its periods; percentiles cannot be, and stay null. */
function countsOf(periods: PeriodRow[]): PeriodRow {
  const sum = (pick: (row: PeriodRow) => number) => periods.reduce((s, row) => s + pick(row), 0);
  return {
    start: null,
    scans: sum((r) => r.scans),
    to_ai: null,
    to_ai_n: sum((r) => r.to_ai_n),
    to_read: null,
    to_read_n: sum((r) => r.to_read_n),
    to_final: null,
    to_final_n: sum((r) => r.to_final_n),
    backlog: sum((r) => r.backlog),
    over_target: sum((r) => r.over_target),
  };
}

/**
 * Drops the stored periods of the days writes have marked stale (every grouping, site and target).
 * Markers are deleted as seen: one written by a transaction still open stays for the next request.
 */
async function dropStalePeriods(manager: EntityManager): Promise<void> {
  await manager.query(
    `WITH seen AS (DELETE FROM analytics_stale_turnaround_days RETURNING day),
          days AS (SELECT DISTINCT day::timestamp AT TIME ZONE 'UTC' AS start FROM seen)
     DELETE FROM analytics_turnaround_periods p USING days
     WHERE (p.grouping = 'day' AND p.start = days.start) OR (p.grouping = 'week' AND p.start = date_trunc('week', days.start, 'UTC'))`,
  );
}

/**
 * The settled whole periods of the range, [start, end): periods inside the range that ended at
 * least the target time ago, so that their overdue count no longer moves with the clock. Both are
 * the range's end when there is none.
 */
async function settledPeriods(manager: EntityManager, range: DateRange, grouping: TurnaroundGrouping, targetMinutes: number): Promise<{ start: Date; end: Date }> {
  const [bounds]: Array<{ start: Date; end: Date }> = await manager.query(
    `SELECT CASE WHEN first < last THEN first ELSE $3::timestamptz END AS start, CASE WHEN first < last THEN last ELSE $3::timestamptz END AS "end"
     FROM (SELECT CASE WHEN date_trunc($1, $2::timestamptz, 'UTC') < $2::timestamptz THEN date_trunc($1, $2::timestamptz, 'UTC') + ${STEP} ELSE $2::timestamptz END AS first,
                  date_trunc($1, least($3::timestamptz, now() - $4 * interval '1 minute'), 'UTC') AS last) b`,
    [grouping, range.from, range.to, targetMinutes],
  );
  return bounds;
}

/**
 * The stored figures of the settled periods in [start, end), computing and storing first those not
 * stored yet. Each is computed from its own arrivals (one index range scan per period), by the
 * same SQL as the periods at the range's ends, so a stored period equals a freshly computed one.
 */
async function storedPeriods(
  manager: EntityManager,
  settled: { start: Date; end: Date },
  key: { grouping: TurnaroundGrouping; site: string | null; targetMinutes: number },
): Promise<PeriodRow[]> {
  const params = [key.grouping, key.site === null, key.site ?? '', key.targetMinutes, settled.start, settled.end, key.site];
  const ofKey = `p.grouping = $1 AND p.all_sites = $2 AND p.site = $3 AND p.target_minutes = $4`;
  await manager.query(
    `WITH missing AS (
       SELECT m.start FROM generate_series($5::timestamptz, $6::timestamptz - ${STEP}, ${STEP}) AS m(start)
       WHERE NOT EXISTS (SELECT 1 FROM analytics_turnaround_periods p WHERE ${ofKey} AND p.start = m.start)),
     figures AS (
       SELECT m.start, ${FIGURES} FROM missing m
       CROSS JOIN LATERAL (${scansOf(`s.arrived_at >= m.start AND s.arrived_at < m.start + ${STEP}`, '$7', '$4')}) t
       GROUP BY m.start)
     INSERT INTO analytics_turnaround_periods (grouping, start, all_sites, site, target_minutes, scans, to_ai, to_ai_n, to_read, to_read_n, to_final, to_final_n, backlog, over_target)
     SELECT $1, m.start, $2, $3, $4, coalesce(f.scans, 0), f.to_ai, coalesce(f.to_ai_n, 0), f.to_read, coalesce(f.to_read_n, 0),
            f.to_final, coalesce(f.to_final_n, 0), coalesce(f.backlog, 0), coalesce(f.over_target, 0)
     FROM missing m LEFT JOIN figures f ON f.start = m.start`,
    params,
  );
  return manager.query(
    `SELECT p.start, p.scans, p.to_ai, p.to_ai_n, p.to_read, p.to_read_n, p.to_final, p.to_final_n, p.backlog, p.over_target
     FROM analytics_turnaround_periods p WHERE ${ofKey} AND p.start >= $5 AND p.start < $6 AND p.scans > 0`,
    params.slice(0, 6),
  );
}

/**
 * Turnaround per day or week of arrival, and over the whole range. Settled whole periods come
 * stored; the partial periods at the range's ends and the periods not settled yet are computed
 * from their scans. The whole range's counts are the sums of its periods'. Its percentiles need
 * every scan of the range sorted, so they are computed only when asked for
 * (`withTotalPercentiles`): over a year that is ~850,000 scans.
 */
export async function turnaround(
  dataSource: DataSource,
  query: { range: DateRange; site: string | null; grouping: TurnaroundGrouping; targetMinutes: number; withTotalPercentiles: boolean },
): Promise<Turnaround> {
  const { range, site, grouping, targetMinutes } = query;
  // One request at a time drops and stores periods, so a period stored from an older snapshot can
  // never outlive the marker of a write it missed (the lock is held before the markers are read).
  const stored = await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('analytics_turnaround_periods'))`);
    await dropStalePeriods(manager);
    const settled = await settledPeriods(manager, range, grouping, targetMinutes);
    return { settled, rows: await storedPeriods(manager, settled, { grouping, site, targetMinutes }) };
  });
  const { start, end } = stored.settled;
  const computed: PeriodRow[] = await dataSource.query(
    `SELECT date_trunc($4, arrived_at, 'UTC') AS start, ${FIGURES}
     FROM (${scansOf('((s.arrived_at >= $1 AND s.arrived_at < $6) OR (s.arrived_at >= $7 AND s.arrived_at < $2))', '$3', '$5')}) t GROUP BY 1`,
    [range.from, range.to, site, grouping, targetMinutes, start, end],
  );
  const periods = [...stored.rows, ...computed].sort((a, b) => a.start!.getTime() - b.start!.getTime());
  const total = query.withTotalPercentiles
    ? (await dataSource.query(`SELECT NULL::timestamptz AS start, ${FIGURES} FROM (${scansOf('s.arrived_at >= $1 AND s.arrived_at < $2', '$3', '$4')}) t`, [range.from, range.to, site, targetMinutes]))[0]
    : countsOf(periods);
  return { targetMinutes, site, total: period(total), periods: periods.map(period) };
}
