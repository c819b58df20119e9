import type { DataSource } from 'typeorm';
import type { ScoredCases } from './diagnostic-figures';
import type { DateRange } from './estimate';
import { offWholeDays, wholeDayParams } from './whole-days';

/** The pack key of a prediction (see DailyAiScorePack): AI score step, truth and call in one integer. */
const PACK_KEY = `round(p.probability * 10000)::int * 4 + p.ground_truth_mbd::int * 2 + (p.label = 'MBD')::int`;
const ENTRY_BYTES = 8;

/**
 * Brings the model version's AI score packs up to date with its predictions: the days triggers
 * marked stale are packed again from the predictions. An advisory lock lets one request do it at
 * a time, and the markers are read after the lock is held (a fresh snapshot per statement), so a
 * pack is never overwritten by one built from an older snapshot. Markers are deleted as seen, so
 * a write committed while packing leaves its marker for the next request.
 */
async function refreshStaleDays(dataSource: DataSource, modelVersionId: string): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('analytics_daily_ai_scores'), hashtext($1))`, [modelVersionId]);
    const stale: Array<{ day: string }> = await manager.query(
      `WITH seen AS (DELETE FROM analytics_stale_ai_score_days WHERE model_version_id = $1 RETURNING day) SELECT DISTINCT day::text FROM seen`,
      [modelVersionId],
    );
    if (stale.length === 0) return;
    const days = stale.map((s) => s.day);
    await manager.query(`DELETE FROM analytics_daily_ai_scores WHERE model_version_id = $1 AND day = ANY($2::date[])`, [modelVersionId, days]);
    await manager.query(
      `INSERT INTO analytics_daily_ai_scores (model_version_id, day, counts)
       SELECT $1, day, string_agg(int4send(key) || int4send(n), ''::bytea ORDER BY key)
       FROM (SELECT d.day, ${PACK_KEY} AS key, count(*)::int AS n
             FROM unnest($2::date[]) AS d(day)
             JOIN predictions p ON p.model_version_id = $1 AND p.ground_truth_mbd IS NOT NULL
              AND p.scan_arrived_at >= d.day::timestamp AT TIME ZONE 'UTC' AND p.scan_arrived_at < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
             GROUP BY 1, 2) counted
       GROUP BY day`,
      [modelVersionId, days],
    );
  });
}

/**
 * Counts per pack key, added up over many packs. Keys of probabilities in [0, 1] index a plain
 * array (a year is ~600,000 entries to add); any other key, which no model should produce, a map.
 */
class KeyCounts {
  private readonly inRange = new Float64Array(4 * 10000 + 4);
  private readonly outside = new Map<number, number>();

  add(key: number, n: number): void {
    if (key >= 0 && key < this.inRange.length) this.inRange[key] += n;
    else this.outside.set(key, (this.outside.get(key) ?? 0) + n);
  }

  addPack(pack: Buffer): void {
    for (let at = 0; at < pack.length; at += ENTRY_BYTES) this.add(pack.readInt32BE(at), pack.readInt32BE(at + 4));
  }

  *entries(): Generator<[number, number]> {
    for (let key = 0; key < this.inRange.length; key++) if (this.inRange[key] !== 0) yield [key, this.inRange[key]];
    yield* this.outside;
  }
}

/**
 * The model version's judged AI calls of scans that arrived in the range, as counts per score on
 * the 10⁻⁴ grid, truth and call: what `SELECT round(probability × 10⁴) / 10⁴, mbd, called, count(*)`
 * over the predictions returns, group for group. Whole days come from the packs, the partial
 * days at the range's ends from the predictions. A year is 365 packs of ~1,600 entries each
 * instead of ~600,000 rows for PostgreSQL to group.
 */
export async function judgedAiScores(dataSource: DataSource, range: DateRange, modelVersionId: string): Promise<ScoredCases[]> {
  await refreshStaleDays(dataSource, modelVersionId);
  const params = wholeDayParams(range, modelVersionId);
  const [, , , wholeFrom, wholeTo] = params;
  const packs: Array<{ counts: Buffer }> = await dataSource.query(
    `SELECT counts FROM analytics_daily_ai_scores WHERE model_version_id = $1 AND day >= analytics_day($2) AND day < analytics_day($3)`,
    [modelVersionId, wholeFrom, wholeTo],
  );
  const edges: Array<{ key: number; n: number }> = await dataSource.query(
    `SELECT ${PACK_KEY} AS key, count(*)::int AS n FROM predictions p
     WHERE p.model_version_id = $3 AND p.ground_truth_mbd IS NOT NULL AND ${offWholeDays('p.scan_arrived_at')} GROUP BY 1`,
    params,
  );
  const counts = new KeyCounts();
  for (const edge of edges) counts.add(edge.key, edge.n);
  for (const pack of packs) counts.addPack(pack.counts);
  return [...counts.entries()].map(([key, n]) => {
    const step = Math.floor(key / 4);
    // step / 10⁴ in double precision is the float8 division PostgreSQL does for round(p × 10⁴) / 10⁴.
    return { score: step / 10000, mbd: (key & 2) !== 0, called: (key & 1) !== 0, n };
  });
}
