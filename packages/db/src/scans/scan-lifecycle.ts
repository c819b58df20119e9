/**
 * The scan lifecycle: the moves a scan may make, and every write of a filed scan's status and AI result (the
 * filing itself is scan-filing.ts, which checks its move here). A scan is RECEIVED with its first object,
 * QUEUED for prediction once its views are paired (or the pairing wait is over), PREDICTED or FAILED by a
 * worker, and REVIEWED once a reader reports it:
 *
 *   RECEIVED → QUEUED → PREDICTED / FAILED → REVIEWED
 *
 * Shortcuts the clinic relies on are allowed too (a re-run job may predict or fail a lone view still waiting;
 * a reader may report a scan the AI never reached); going back never is. Staying in a status is not a move:
 * a late partner view leaves a predicted scan PREDICTED.
 */
import type { AiLabel, ScanStatus, Verdict } from '@bonescan/clinical';
import type { EntityManager } from 'typeorm';

/** Each status and the statuses a scan in it may move to. */
const SCAN_MOVES: Readonly<Record<ScanStatus, readonly ScanStatus[]>> = {
  RECEIVED: ['QUEUED', 'PREDICTED', 'FAILED', 'REVIEWED'],
  QUEUED: ['PREDICTED', 'FAILED', 'REVIEWED'],
  FAILED: ['PREDICTED', 'REVIEWED'],
  PREDICTED: ['REVIEWED'],
  REVIEWED: [],
};

/** A move the lifecycle does not allow; nothing was written. */
export class ScanTransitionError extends Error {
  override name = 'ScanTransitionError';
  readonly code = 'SCAN_TRANSITION_REFUSED';

  constructor(
    readonly scanId: string,
    readonly from: ScanStatus,
    readonly to: ScanStatus,
  ) {
    const allowed = SCAN_MOVES[from];
    super(`scan ${scanId} is ${from} and cannot become ${to}: a ${from} scan ${allowed.length ? `may only become ${allowed.join(' or ')}` : 'stays as it is'}`);
  }
}

export class ScanNotFoundError extends Error {
  override name = 'ScanNotFoundError';
  readonly code = 'SCAN_NOT_FOUND';

  constructor(readonly scanId: string) {
    super(`no scan has id ${scanId}`);
  }
}

function mayMove(from: ScanStatus, to: ScanStatus): boolean {
  return from === to || SCAN_MOVES[from].includes(to);
}

/** Throws ScanTransitionError unless a scan in `from` may become `to`. */
export function checkScanMove(scanId: string, from: ScanStatus, to: ScanStatus): void {
  if (!mayMove(from, to)) throw new ScanTransitionError(scanId, from, to);
}

/** Statuses a scan may be in to move to `to` (or stay in it). */
function sourcesOf(to: ScanStatus): ScanStatus[] {
  return (Object.keys(SCAN_MOVES) as ScanStatus[]).filter((from) => mayMove(from, to));
}

/**
 * One guarded UPDATE: `assignments` (SQL, parameters from $3 on) are written only if the scan may become `to`.
 * When nothing was written, a second statement tells a missing scan from a refused move.
 */
async function moveScan(manager: EntityManager, scanId: string, to: ScanStatus, assignments: string, parameters: unknown[]): Promise<void> {
  const [, moved] = (await manager.query(
    `UPDATE scans SET status = $2::scan_status, ${assignments} WHERE id = $1 AND status = ANY($${parameters.length + 3}::scan_status[])`,
    [scanId, to, ...parameters, sourcesOf(to)],
  )) as [unknown, number];
  if (moved > 0) return;
  const [row]: Array<{ status: ScanStatus }> = await manager.query(`SELECT status FROM scans WHERE id = $1`, [scanId]);
  if (!row) throw new ScanNotFoundError(scanId);
  throw new ScanTransitionError(scanId, row.status, to);
}

/** Queues a scan for prediction: `singleView` when its partner view did not arrive within the pairing wait. */
export function queueScan(manager: EntityManager, scanId: string, options: { singleView: boolean }): Promise<void> {
  return moveScan(manager, scanId, 'QUEUED', `single_view = $3`, [options.singleView]);
}

/**
 * A reader's report: the scan is REVIEWED; the first report starts the read clock, the first non-equivocal one
 * the final-read clock. Later reports leave both as they were.
 */
export function recordScanReading(manager: EntityManager, scanId: string, reading: { readAt: Date; verdict: Verdict }): Promise<void> {
  return moveScan(
    manager,
    scanId,
    'REVIEWED',
    `first_read_at = coalesce(first_read_at, $3), final_read_at = coalesce(final_read_at, CASE WHEN $4 <> 'EQUIVOCAL' THEN $3::timestamptz END)`,
    [reading.readAt, reading.verdict],
  );
}

/**
 * Copies a call onto its scan when the version that made it is ACTIVE, and moves a scan still awaiting its AI
 * result to PREDICTED (a scan already read keeps its status). Returns whether the version was ACTIVE.
 */
export async function recordScanAiResult(
  manager: EntityManager,
  scanId: string,
  call: { modelVersionId: string; probability: number; label: AiLabel },
): Promise<boolean> {
  const [, updated] = (await manager.query(
    `UPDATE scans s SET ai_probability = $2, ai_label = $3, predicted_at = now(), failure_reason = NULL,
            status = CASE WHEN s.status = ANY($5::scan_status[]) THEN 'PREDICTED'::scan_status ELSE s.status END
     FROM model_versions mv WHERE s.id = $1 AND mv.id = $4 AND mv.status = 'ACTIVE'`,
    [scanId, call.probability, call.label, call.modelVersionId, sourcesOf('PREDICTED')],
  )) as [unknown, number];
  return updated > 0;
}

/**
 * Marks a scan FAILED with the reason, unless it already has its AI result or a reader's verdict (a failed
 * shadow or re-run job must not hide a good result). Returns whether the scan changed.
 */
export async function recordScanAiFailure(manager: EntityManager, scanId: string, reason: string): Promise<boolean> {
  const [, updated] = (await manager.query(`UPDATE scans SET status = 'FAILED', failure_reason = $2 WHERE id = $1 AND status = ANY($3::scan_status[])`, [
    scanId,
    reason,
    sourcesOf('FAILED'),
  ])) as [unknown, number];
  return updated > 0;
}
