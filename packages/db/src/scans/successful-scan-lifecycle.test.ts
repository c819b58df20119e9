import type { ScanStatus } from '@bonescan/clinical';
import { recordPrediction } from '../predictions/record-prediction';
import { createTestDatabase, createTestModelVersion, createTestScan, type TestDatabase } from '../testing';
import { checkScanMove, queueScan, recordScanAiFailure, recordScanReading } from './scan-lifecycle';

/**
 * The moves DESIGN §4 describes, written out by hand: a scan arrives RECEIVED, is QUEUED once its views are
 * paired, a worker makes it PREDICTED or FAILED, a reader makes it REVIEWED. A re-run job may reach a lone view
 * still waiting (RECEIVED → PREDICTED / FAILED), a later job may predict a FAILED scan, and a reader may report
 * any scan the AI has not yet reached.
 */
const MOVES_BY_HAND: Array<[ScanStatus, ScanStatus]> = [
  ['RECEIVED', 'QUEUED'],
  ['RECEIVED', 'PREDICTED'],
  ['RECEIVED', 'FAILED'],
  ['RECEIVED', 'REVIEWED'],
  ['QUEUED', 'PREDICTED'],
  ['QUEUED', 'FAILED'],
  ['QUEUED', 'REVIEWED'],
  ['FAILED', 'PREDICTED'],
  ['FAILED', 'REVIEWED'],
  ['PREDICTED', 'REVIEWED'],
];
const STATUSES: ScanStatus[] = ['RECEIVED', 'QUEUED', 'PREDICTED', 'FAILED', 'REVIEWED'];

describe('the scan lifecycle', () => {
  let db: TestDatabase;
  const scanIn = async (status: ScanStatus) => (await createTestScan(db.dataSource, { status })).scanId;
  const row = async (id: string) =>
    (
      await db.dataSource.query(`SELECT status, single_view, failure_reason, ai_probability, ai_label, first_read_at, final_read_at FROM scans WHERE id = $1`, [
        id,
      ])
    )[0];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it.each(MOVES_BY_HAND)('allows %s → %s', (from, to) => {
    expect(() => checkScanMove('scan-1', from, to)).not.toThrow();
  });

  it.each(STATUSES)('lets a %s scan stay %s (a late partner view, another report)', (status) => {
    expect(() => checkScanMove('scan-1', status, status)).not.toThrow();
  });

  it('queues a lone view single-view after its wait', async () => {
    const id = await scanIn('RECEIVED');
    await db.dataSource.transaction((manager) => queueScan(manager, id, { singleView: true }));
    expect(await row(id)).toMatchObject({ status: 'QUEUED', single_view: true });
  });

  it('copies an ACTIVE call onto its scan, PREDICTED; a SHADOW call is filed beside it and leaves the scan alone', async () => {
    const id = await scanIn('QUEUED');
    const active = await createTestModelVersion(db.dataSource, { status: 'ACTIVE', threshold: 0.3 });
    const shadow = await createTestModelVersion(db.dataSource, { status: 'SHADOW' });
    const call = { scanId: id, probability: 0.75, label: 'MBD' as const, backend: 'wasm', latencyMs: 120, heatmapBlobKey: null, hotspots: [] };
    const byShadow = await db.dataSource.transaction((manager) => recordPrediction(manager, shadow, { ...call, probability: 0.1, label: 'NO_MBD' }));
    expect(byShadow).toEqual({ stored: true, byActiveVersion: false });
    expect(await row(id)).toMatchObject({ status: 'QUEUED', ai_probability: null });
    expect(await db.dataSource.transaction((manager) => recordPrediction(manager, active, call))).toEqual({ stored: true, byActiveVersion: true });
    expect(await row(id)).toMatchObject({ status: 'PREDICTED', ai_probability: 0.75, ai_label: 'MBD' });
    const [prediction] = await db.dataSource.query(`SELECT threshold FROM predictions WHERE scan_id = $1 AND model_version_id = $2`, [id, active.id]);
    expect(prediction.threshold).toBe(0.3);
  });

  it('files a retried job’s call once', async () => {
    const id = await scanIn('QUEUED');
    const version = await createTestModelVersion(db.dataSource, { status: 'SHADOW' });
    const call = { scanId: id, probability: 0.2, label: 'NO_MBD' as const, backend: 'cpu', latencyMs: 80, heatmapBlobKey: null, hotspots: [] };
    await db.dataSource.transaction((manager) => recordPrediction(manager, version, call));
    expect(await db.dataSource.transaction((manager) => recordPrediction(manager, version, { ...call, probability: 0.9 }))).toEqual({
      stored: false,
      byActiveVersion: false,
    });
    expect(await db.dataSource.query(`SELECT probability FROM predictions WHERE scan_id = $1`, [id])).toEqual([{ probability: 0.2 }]);
  });

  it('marks a scan awaiting its AI result FAILED, with the reason', async () => {
    const id = await scanIn('QUEUED');
    expect(await db.dataSource.transaction((manager) => recordScanAiFailure(manager, id, 'view AP is missing from the blob store'))).toBe(true);
    expect(await row(id)).toMatchObject({ status: 'FAILED', failure_reason: 'view AP is missing from the blob store' });
  });

  it('starts the read clock at the first report and the final-read clock at the first non-equivocal one', async () => {
    const id = await scanIn('PREDICTED');
    const [first, second, third] = ['2026-11-30T08:00:00Z', '2026-11-30T09:00:00Z', '2026-11-30T10:00:00Z'].map((at) => new Date(at));
    await db.dataSource.transaction((manager) => recordScanReading(manager, id, { readAt: first, verdict: 'EQUIVOCAL' }));
    expect(await row(id)).toMatchObject({ status: 'REVIEWED', first_read_at: first, final_read_at: null });
    await db.dataSource.transaction((manager) => recordScanReading(manager, id, { readAt: second, verdict: 'MBD' }));
    await db.dataSource.transaction((manager) => recordScanReading(manager, id, { readAt: third, verdict: 'NO_MBD' }));
    expect(await row(id)).toMatchObject({ status: 'REVIEWED', first_read_at: first, final_read_at: second });
  });
});
