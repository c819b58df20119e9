import { delongCi, delongCiOfCounts, type ConfusionMatrix, type Interval, type Label, type ScoreCount } from '@bonescan/stats';
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

/** Judged AI calls: the scores of each class in ascending order, each case once, and their confusion matrix. */
export interface JudgedAiCalls {
  positives: Float64Array;
  negatives: Float64Array;
  confusion: ConfusionMatrix;
}

/**
 * Buckets of the score line for a counting sort. A score's bucket never falls as the score rises
 * (anything at or below 0, or NaN, in the first; at or above 1 in the last), so sorting within each
 * bucket sorts the whole. 2¹⁴ buckets of 6.1 × 10⁻⁵: a model's scores on a coarser grid land one
 * value a bucket and need no sorting at all; distinct scores need ~37 a bucket sorted natively.
 */
const BUCKETS = 1 << 14;
const bucketOf = (score: number) => (score >= 1 ? BUCKETS - 1 : score > 0 ? Math.floor(score * BUCKETS) : 0);

function ascending(values: Float64Array, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (!(values[i - 1] <= values[i])) return false;
  return true;
}

/**
 * Each class's scores, one per case, in ascending order, and the confusion matrix, from the packs.
 * A counting sort by bucket, then each bucket sorted: a year's ~600,000 scores in a few linear
 * passes, where merging 365 sorted packs would copy each ~9 times.
 */
function sortedCalls(packs: Buffer[]): JudgedAiCalls {
  // DataView reads big-endian numbers several times faster than Buffer's read methods.
  const views = packs.map((pack) => new DataView(pack.buffer, pack.byteOffset, pack.byteLength));
  const cells = new Float64Array(4); // by truth and call, as CELL names them
  const starts = [new Int32Array(BUCKETS + 1), new Int32Array(BUCKETS + 1)]; // by truth: negatives, positives
  for (const view of views)
    for (let at = 0; at < view.byteLength; at += ENTRY_BYTES) {
      const word = view.getInt32(at + 8);
      cells[word & 3] += word >>> 2;
      starts[(word >>> 1) & 1][bucketOf(view.getFloat64(at)) + 1] += word >>> 2;
    }
  for (const start of starts) for (let b = 1; b <= BUCKETS; b++) start[b] += start[b - 1];
  const sorted = starts.map((start) => new Float64Array(start[BUCKETS]));
  const next = starts.map((start) => start.slice(0, BUCKETS));
  for (const view of views)
    for (let at = 0; at < view.byteLength; at += ENTRY_BYTES) {
      const score = view.getFloat64(at);
      const word = view.getInt32(at + 8);
      const truth = (word >>> 1) & 1;
      const into = sorted[truth];
      const cursor = next[truth];
      const b = bucketOf(score);
      for (let n = word >>> 2; n > 0; n--) into[cursor[b]++] = score;
    }
  for (let truth = 0; truth < 2; truth++) {
    const [values, start] = [sorted[truth], starts[truth]];
    for (let b = 0; b < BUCKETS; b++) if (!ascending(values, start[b], start[b + 1])) values.subarray(start[b], start[b + 1]).sort();
  }
  const confusion: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  CELL.forEach((cell, k) => (confusion[cell] = cells[k]));
  return { negatives: sorted[0], positives: sorted[1], confusion };
}

/** How many distinct values an ascending array holds. */
function distinct(sorted: Float64Array): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}

/** An ascending array of one class's scores as counts per distinct score. */
function countsOf(sorted: Float64Array, label: Label): ScoreCount[] {
  const groups: ScoreCount[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) groups[groups.length - 1].n++;
    else groups.push({ score: sorted[i], label, n: 1 });
  }
  return groups;
}

/** Cases per distinct score from which counts cost less than the cases themselves (~0.8 µs a group against ~0.12 µs a case). */
const CASES_PER_GROUP_FOR_COUNTS = 8;

/**
 * The DeLong interval of the calls. Both ways give it to the last bit (@bonescan/stats checks
 * delongCiOfCounts against delongCi): counts while scores repeat (a year of ~10,000 distinct
 * scores is ~20,000 groups), the cases themselves when nearly every score is distinct, as a
 * model's float outputs are, and 600,000 groups would cost seconds.
 */
function aucInterval({ positives, negatives }: JudgedAiCalls): Interval {
  if ((distinct(positives) + distinct(negatives)) * CASES_PER_GROUP_FOR_COUNTS <= positives.length + negatives.length) {
    return delongCiOfCounts([...countsOf(positives, 1), ...countsOf(negatives, 0)]);
  }
  const scores = new Float64Array(positives.length + negatives.length);
  scores.set(positives);
  scores.set(negatives, positives.length);
  return delongCi(scores, new Array<Label>(scores.length).fill(1, 0, positives.length).fill(0, positives.length));
}

/**
 * The model version's judged AI calls of scans that arrived in the range, each with its score as
 * stored (to the last bit): the cases `SELECT probability, ground_truth_mbd, label` over the
 * predictions returns. Whole days come from the packs, the partial days at the range's
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
  return sortedCalls(packs.flatMap((p) => (p.scores ? [p.scores] : [])));
}

/** The AI arm of diagnosticPerformance: the AUC and its DeLong interval are those of the cases themselves. */
export async function judgedAiFigures(dataSource: DataSource, range: DateRange, modelVersionId: string): Promise<DiagnosticFigures> {
  const calls = await judgedAiCalls(dataSource, range, modelVersionId);
  return figuresOf(calls.confusion, () => aucInterval(calls));
}
