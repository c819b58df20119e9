/**
 * The AI score packs in their former form, for the bench alone: per day, counts per (probability
 * rounded to 10⁻⁴, truth, call), two big-endian int32 an entry, added up in a plain array indexed
 * by key. Rounding made scores closer than 10⁻⁴ ties, so the API now packs every stored
 * probability; this copy lets bench/analytics time both forms on one database in one run.
 */
import type { DataSource } from 'typeorm';
import { diagnosticFigures, type DiagnosticFigures, type ScoredCases } from '../../services/api/src/analytics/diagnostic-figures';
import type { DateRange } from '../../services/api/src/analytics/estimate';
import { offWholeDays, wholeDayParams } from '../../services/api/src/analytics/whole-days';

const GRID_KEY = `round(p.probability * 10000)::int * 4 + p.ground_truth_mbd::int * 2 + (p.label = 'MBD')::int`;
const ENTRY_BYTES = 8;

/** Packs every day of the model version's judged predictions on the grid, in a bench-only table. */
export async function packGridAiScores(dataSource: DataSource, modelVersionId: string): Promise<void> {
  await dataSource.query(
    `CREATE TABLE IF NOT EXISTS bench_grid_ai_scores (model_version_id uuid NOT NULL, day date NOT NULL, counts bytea NOT NULL, PRIMARY KEY (model_version_id, day))`,
  );
  await dataSource.query(`DELETE FROM bench_grid_ai_scores WHERE model_version_id = $1`, [modelVersionId]);
  await dataSource.query(
    `INSERT INTO bench_grid_ai_scores (model_version_id, day, counts)
     SELECT $1, day, string_agg(int4send(key) || int4send(n), ''::bytea ORDER BY key)
     FROM (SELECT analytics_day(p.scan_arrived_at) AS day, ${GRID_KEY} AS key, count(*)::int AS n
           FROM predictions p WHERE p.model_version_id = $1 AND p.ground_truth_mbd IS NOT NULL GROUP BY 1, 2) counted
     GROUP BY day`,
    [modelVersionId],
  );
}

/** The former judgedAiScores, reading the bench table; it takes the packing lock and reads the stale markers as it did. */
async function gridAiScores(dataSource: DataSource, range: DateRange, modelVersionId: string): Promise<ScoredCases[]> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('analytics_daily_ai_scores'), hashtext($1))`, [modelVersionId]);
    await manager.query(`SELECT DISTINCT day::text FROM analytics_stale_ai_score_days WHERE model_version_id = $1`, [modelVersionId]);
  });
  const params = wholeDayParams(range, modelVersionId);
  const [, , , wholeFrom, wholeTo] = params;
  const packs: Array<{ counts: Buffer }> = await dataSource.query(
    `SELECT counts FROM bench_grid_ai_scores WHERE model_version_id = $1 AND day >= analytics_day($2) AND day < analytics_day($3)`,
    [modelVersionId, wholeFrom, wholeTo],
  );
  const edges: Array<{ key: number; n: number }> = await dataSource.query(
    `SELECT ${GRID_KEY} AS key, count(*)::int AS n FROM predictions p
     WHERE p.model_version_id = $3 AND p.ground_truth_mbd IS NOT NULL AND ${offWholeDays('p.scan_arrived_at')} GROUP BY 1`,
    params,
  );
  // Probabilities in [0, 1], as the bench seeds them: every key indexes the array.
  const counts = new Float64Array(4 * 10000 + 4);
  for (const edge of edges) counts[edge.key] += edge.n;
  for (const { counts: pack } of packs) for (let at = 0; at < pack.length; at += ENTRY_BYTES) counts[pack.readInt32BE(at)] += pack.readInt32BE(at + 4);
  const groups: ScoredCases[] = [];
  counts.forEach((n, key) => {
    if (n !== 0) groups.push({ score: Math.floor(key / 4) / 10000, mbd: (key & 2) !== 0, called: (key & 1) !== 0, n });
  });
  return groups;
}

/** The former AI arm of diagnosticPerformance: figures of the grid's groups, the AUC from their counts. */
export async function gridAiFigures(dataSource: DataSource, range: DateRange, modelVersionId: string): Promise<DiagnosticFigures> {
  return diagnosticFigures(await gridAiScores(dataSource, range, modelVersionId));
}
