import type { DataSource, EntityManager } from 'typeorm';
import type { DurationPercentiles, Turnaround, TurnaroundGrouping, TurnaroundPeriod } from './analytics.types';
import { binsOf, PACKED_BINS, STAGES, stagePercentiles, unpackBins, type DurationBin } from './duration-bins';
import type { DateRange } from './estimate';

/**
 * The turnaround of each scan that arrived where `where` says, with $site the site (or NULL for
 * all) and $target the target in minutes: the one definition every figure below is computed from.
 */
const scansOf = (where: string, site: string, target: string) => `SELECT s.arrived_at,
    ${STAGES[0]} AS to_ai, ${STAGES[1]} AS to_read, ${STAGES[2]} AS to_final,
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

/** Counts of the whole range added up from its periods; percentiles do not add up and are left null. */
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

interface TurnaroundQuery {
  range: DateRange;
  site: string | null;
  grouping: TurnaroundGrouping;
  targetMinutes: number;
  withTotalPercentiles: boolean;
}

/** Settled whole periods of the range: [start, end), both the range's end when there is none. */
interface Settled {
  start: Date;
  end: Date;
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
 * The settled whole periods of the range: periods inside it that ended at least the target time
 * ago, so that every scan still unread in them is overdue and their figures no longer move with
 * the clock.
 */
async function settledPeriods(manager: EntityManager, { range, grouping, targetMinutes }: TurnaroundQuery): Promise<Settled> {
  const [bounds]: Settled[] = await manager.query(
    `SELECT CASE WHEN first < last THEN first ELSE $3::timestamptz END AS start, CASE WHEN first < last THEN last ELSE $3::timestamptz END AS "end"
     FROM (SELECT CASE WHEN date_trunc($1, $2::timestamptz, 'UTC') < $2::timestamptz THEN date_trunc($1, $2::timestamptz, 'UTC') + ${STEP} ELSE $2::timestamptz END AS first,
                  date_trunc($1, least($3::timestamptz, now() - $4 * interval '1 minute'), 'UTC') AS last) b`,
    [grouping, range.from, range.to, targetMinutes],
  );
  return bounds;
}

/** The stored periods of a query's grouping, site and target: $1–$4. */
const keyParams = (q: TurnaroundQuery) => [q.grouping, q.site === null, q.site ?? '', q.targetMinutes];
const OF_KEY = `p.grouping = $1 AND p.all_sites = $2 AND p.site = $3 AND p.target_minutes = $4`;

/**
 * Stores the settled periods of the range not stored yet, each computed from its own arrivals
 * (one index range scan per period) by the same SQL as the periods computed at a request, with
 * its durations per bin. One request at a time drops and stores periods, and the lock is held
 * before the markers are read, so a period stored from an older snapshot never outlives the
 * marker of a write it missed.
 */
async function storeSettledPeriods(dataSource: DataSource, q: TurnaroundQuery): Promise<Settled> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('analytics_turnaround_periods'))`);
    await dropStalePeriods(manager);
    const settled = await settledPeriods(manager, q);
    await manager.query(
      `WITH missing AS (
         SELECT m.start FROM generate_series($5::timestamptz, $6::timestamptz - ${STEP}, ${STEP}) AS m(start)
         WHERE NOT EXISTS (SELECT 1 FROM analytics_turnaround_periods p WHERE ${OF_KEY} AND p.start = m.start)),
       t AS MATERIALIZED (
         SELECT m.start, a.* FROM missing m CROSS JOIN LATERAL (${scansOf(`s.arrived_at >= m.start AND s.arrived_at < m.start + ${STEP}`, '$7', '$4')}) a),
       figures AS (SELECT start, ${FIGURES} FROM t GROUP BY start),
       bins AS (SELECT start, ${PACKED_BINS} AS packed FROM (${binsOf(['start'])}) b GROUP BY start)
       INSERT INTO analytics_turnaround_periods (grouping, start, all_sites, site, target_minutes, scans, to_ai, to_ai_n, to_read, to_read_n,
                                                to_final, to_final_n, backlog, over_target, duration_bins)
       SELECT $1, m.start, $2, $3, $4, coalesce(f.scans, 0), f.to_ai, coalesce(f.to_ai_n, 0), f.to_read, coalesce(f.to_read_n, 0),
              f.to_final, coalesce(f.to_final_n, 0), coalesce(f.backlog, 0), coalesce(f.over_target, 0), coalesce(b.packed, ''::bytea)
       FROM missing m LEFT JOIN figures f ON f.start = m.start LEFT JOIN bins b ON b.start = m.start`,
      [...keyParams(q), settled.start, settled.end, q.site],
    );
    return settled;
  });
}

/**
 * The turnaround in one snapshot (REPEATABLE READ): stored settled periods, the others computed
 * from their scans, and, when asked for, the whole range's percentiles found bin by bin. Null when
 * a write has marked one of the stored periods stale since they were stored: they would not match
 * the snapshot.
 */
async function readTurnaround(manager: EntityManager, q: TurnaroundQuery, settled: Settled): Promise<Turnaround | null> {
  const [{ stale }]: Array<{ stale: boolean }> = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM analytics_stale_turnaround_days WHERE day >= analytics_day($1) AND day < analytics_day($2)) AS stale`,
    [settled.start, settled.end],
  );
  if (stale) return null;
  const stored: Array<PeriodRow & { duration_bins: Buffer }> = await manager.query(
    `SELECT p.start, p.scans, p.to_ai, p.to_ai_n, p.to_read, p.to_read_n, p.to_final, p.to_final_n, p.backlog, p.over_target,
            ${q.withTotalPercentiles ? 'p.duration_bins' : "''::bytea AS duration_bins"}
     FROM analytics_turnaround_periods p WHERE ${OF_KEY} AND p.start >= $5 AND p.start < $6`,
    [...keyParams(q), settled.start, settled.end],
  );
  const { range, site, grouping, targetMinutes } = q;
  // Scans of the range off its stored periods, before and after them (each an index-only range scan):
  // $1 from, $2 to, $3 site, $4 target, $5 / $6 the stored periods' start and end, $7 the grouping.
  const arrivedIn = (from: string, to: string) => scansOf(`s.arrived_at >= ${from} AND s.arrived_at < ${to}`, '$3', '$4');
  const computed: Array<PeriodRow & { edge_bins: Buffer | null }> = await manager.query(
    `WITH t AS MATERIALIZED (${arrivedIn('$1', '$5')} UNION ALL ${arrivedIn('$6', '$2')}),
          periods AS (SELECT date_trunc($7, arrived_at, 'UTC') AS start, ${FIGURES} FROM t GROUP BY 1)
     SELECT periods.*, ${q.withTotalPercentiles ? `(SELECT ${PACKED_BINS} FROM (${binsOf([])}) b)` : 'NULL::bytea'} AS edge_bins FROM periods`,
    [range.from, range.to, site, targetMinutes, settled.start, settled.end, grouping],
  );
  const periods = [...stored.filter((p) => p.scans > 0), ...computed].sort((a, b) => a.start!.getTime() - b.start!.getTime());
  const total = countsOf(periods);
  if (q.withTotalPercentiles) {
    // Every computed row carries the same bins of all the computed scans: take them once.
    const bins: DurationBin[] = [...stored.map((p) => p.duration_bins), ...computed.slice(0, 1).map((c) => c.edge_bins ?? Buffer.alloc(0))].flatMap(unpackBins);
    const scans = { from: range.from, to: range.to, site };
    total.to_ai = await stagePercentiles(manager, bins, 0, scans);
    total.to_read = await stagePercentiles(manager, bins, 1, scans);
    total.to_final = await stagePercentiles(manager, bins, 2, scans);
  }
  return { targetMinutes, site, total: period(total), periods: periods.map(period) };
}

/**
 * Turnaround per day or week of arrival, and over the whole range. Settled periods are stored;
 * partial and unsettled ones are computed from their scans; the whole range's counts are sums of
 * its periods', its percentiles (`withTotalPercentiles`) are located by the stored duration bins
 * and read from the scans of one bin each. If writes keep marking stored periods stale while this
 * runs, the last try reads every figure from the scans instead.
 */
export async function turnaround(dataSource: DataSource, q: TurnaroundQuery): Promise<Turnaround> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const settled = await storeSettledPeriods(dataSource, q);
    const result = await dataSource.transaction('REPEATABLE READ', (manager) => readTurnaround(manager, q, settled));
    if (result) return result;
  }
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const nothingStored = { start: q.range.to, end: q.range.to };
    return (await readTurnaround(manager, q, nothingStored))!;
  });
}
