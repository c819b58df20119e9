import type { DataSource } from 'typeorm';
import type { ScoredCases } from './diagnostic-figures';
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

/** Pack entries as parallel arrays, in ascending (score, truth and call) order, each pair once. */
interface ScoreRun {
  scores: Float64Array;
  truthAndCall: Uint8Array;
  cases: Float64Array;
  length: number;
}

function emptyRun(capacity: number): ScoreRun {
  return { scores: new Float64Array(capacity), truthAndCall: new Uint8Array(capacity), cases: new Float64Array(capacity), length: 0 };
}

function push(run: ScoreRun, score: number, truthAndCall: number, cases: number): void {
  const last = run.length - 1;
  // Equal scores tie in the AUC, whichever day they come from: their cases are added up.
  if (last >= 0 && run.scores[last] === score && run.truthAndCall[last] === truthAndCall) run.cases[last] += cases;
  else {
    run.scores[run.length] = score;
    run.truthAndCall[run.length] = truthAndCall;
    run.cases[run.length] = cases;
    run.length++;
  }
}

function unpack(pack: Buffer): ScoreRun {
  const run = emptyRun(pack.length / ENTRY_BYTES);
  for (let at = 0; at < pack.length; at += ENTRY_BYTES) {
    const word = pack.readInt32BE(at + 8);
    push(run, pack.readDoubleBE(at), word & 3, word >>> 2);
  }
  return run;
}

/** The two runs as one, in order: a merge pass, since each pack is sorted already. */
function merge(a: ScoreRun, b: ScoreRun): ScoreRun {
  const out = emptyRun(a.length + b.length);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const fromA = j >= b.length || (i < a.length && (a.scores[i] < b.scores[j] || (a.scores[i] === b.scores[j] && a.truthAndCall[i] <= b.truthAndCall[j])));
    if (fromA) push(out, a.scores[i], a.truthAndCall[i], a.cases[i++]);
    else push(out, b.scores[j], b.truthAndCall[j], b.cases[j++]);
  }
  return out;
}

/** Pairwise merges, log₂(packs) rounds: a year's ~600,000 entries are each copied ~9 times. */
function mergeAll(runs: ScoreRun[]): ScoreRun {
  let level = runs;
  while (level.length > 1) {
    const next: ScoreRun[] = [];
    for (let k = 0; k < level.length; k += 2) next.push(k + 1 < level.length ? merge(level[k], level[k + 1]) : level[k]);
    level = next;
  }
  return level[0] ?? emptyRun(0);
}

/**
 * The model version's judged AI calls of scans that arrived in the range, as counts per score
 * (the stored probability, to the last bit), truth and call, in ascending score order: what
 * `SELECT probability, mbd, called, count(*)` over the predictions returns, group for group. Whole
 * days come from the packs, the partial days at the range's ends from the predictions, packed
 * alike. A year is 365 packs of ~1,600 entries each instead of ~600,000 rows for PostgreSQL to group.
 */
export async function judgedAiScores(dataSource: DataSource, range: DateRange, modelVersionId: string): Promise<ScoredCases[]> {
  await refreshStaleDays(dataSource, modelVersionId);
  const [from, to, , wholeFrom, wholeTo] = wholeDayParams(range, modelVersionId);
  const packs: Array<{ scores: Buffer | null }> = await dataSource.query(
    `SELECT scores FROM analytics_daily_ai_scores WHERE model_version_id = $1 AND day >= analytics_day($2) AND day < analytics_day($3)
     UNION ALL SELECT analytics_ai_score_pack($1, $4, $2)
     UNION ALL SELECT analytics_ai_score_pack($1, $3, $5)`,
    [modelVersionId, wholeFrom, wholeTo, from, to],
  );
  const all = mergeAll(packs.flatMap((p) => (p.scores ? [unpack(p.scores)] : [])));
  return Array.from({ length: all.length }, (_, k) => ({
    score: all.scores[k],
    mbd: (all.truthAndCall[k] & 2) !== 0,
    called: (all.truthAndCall[k] & 1) !== 0,
    n: all.cases[k],
  }));
}
