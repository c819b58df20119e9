import { delongCi, type ConfusionMatrix, type Label } from '@bonescan/stats';
import type { DataSource } from 'typeorm';
import { figuresOf, type DiagnosticFigures } from './diagnostic-figures';
import type { DateRange } from './estimate';
import { wholeDayParams } from './whole-days';

/** Bytes of one pack entry (see DailyAiScorePack): float8 score, int32 cases × 4 + truth and call. */
const ENTRY_BYTES = 12;

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
    await manager.query(`SELECT analytics_repack_ai_score_days($1, $2::date[])`, [modelVersionId, stale.map((s) => s.day)]);
  });
}

/** The confusion cell of each truth and call (2 × mbd + called). */
const CELL: ReadonlyArray<keyof ConfusionMatrix> = ['tn', 'fp', 'fn', 'tp'];

/** Judged AI calls one by one: each one's score and truth (1: MBD), in no particular order, and their confusion matrix. */
export interface JudgedAiCalls {
  scores: Float64Array;
  truths: Label[];
  confusion: ConfusionMatrix;
}

/**
 * The calls the packs count, laid out one by one. DeLong sorts the scores itself, natively, so
 * the packs are not merged: a year's ~600,000 typed values sort faster than as many count groups
 * would merge, and nearly every score a model gives is distinct anyway.
 */
function unpack(packs: Buffer[]): JudgedAiCalls {
  const confusion: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  // DataView reads big-endian numbers several times faster than Buffer's read methods.
  const views = packs.map((pack) => new DataView(pack.buffer, pack.byteOffset, pack.byteLength));
  for (const view of views) for (let at = 0; at < view.byteLength; at += ENTRY_BYTES) {
    const word = view.getInt32(at + 8);
    confusion[CELL[word & 3]] += word >>> 2;
  }
  const scores = new Float64Array(confusion.tp + confusion.fp + confusion.tn + confusion.fn);
  const truths = new Array<Label>(scores.length);
  let to = 0;
  for (const view of views) for (let at = 0; at < view.byteLength; at += ENTRY_BYTES) {
    const score = view.getFloat64(at);
    const word = view.getInt32(at + 8);
    for (let n = word >>> 2; n > 0; n--) {
      scores[to] = score;
      truths[to++] = word & 2 ? 1 : 0;
    }
  }
  return { scores, truths, confusion };
}

/**
 * The model version's judged AI calls of scans that arrived in the range, each with its score as
 * stored (to the last bit), truth and call: the cases `SELECT probability, ground_truth_mbd, label`
 * over the predictions returns. Whole days come from the packs, the partial days at the range's
 * ends from the predictions, packed alike. A year is 365 packs of ~1,600 entries each instead of
 * ~600,000 rows for PostgreSQL to read.
 */
export async function judgedAiCalls(dataSource: DataSource, range: DateRange, modelVersionId: string): Promise<JudgedAiCalls> {
  await refreshStaleDays(dataSource, modelVersionId);
  const [from, to, , wholeFrom, wholeTo] = wholeDayParams(range, modelVersionId);
  const packs: Array<{ scores: Buffer | null }> = await dataSource.query(
    `SELECT scores FROM analytics_daily_ai_scores WHERE model_version_id = $1 AND day >= analytics_day($2) AND day < analytics_day($3)
     UNION ALL SELECT analytics_ai_score_pack($1, $4, $2)
     UNION ALL SELECT analytics_ai_score_pack($1, $3, $5)`,
    [modelVersionId, wholeFrom, wholeTo, from, to],
  );
  return unpack(packs.flatMap((p) => (p.scores ? [p.scores] : [])));
}

/** The AI arm of diagnosticPerformance: the AUC and its DeLong interval are those of the cases themselves. */
export async function judgedAiFigures(dataSource: DataSource, range: DateRange, modelVersionId: string): Promise<DiagnosticFigures> {
  const calls = await judgedAiCalls(dataSource, range, modelVersionId);
  return figuresOf(calls.confusion, () => delongCi(calls.scores, calls.truths));
}
