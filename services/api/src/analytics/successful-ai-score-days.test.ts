import { seedSyntheticScans } from '@bonescan/db';
import { changeTestPrediction, createTestDatabase, createTestModelVersion, moveTestScanClocks, type TestDatabase } from '@bonescan/db/testing';
import { judgedAiCalls } from './ai-score-days';
import { PackExactAiScores1796164776634 } from '../../../../migrations/1796164776634-PackExactAiScores';

/**
 * The AI arm of diagnosticPerformance reads whole days from packs: after every kind of write its
 * cases must be the predictions' own, score for score, and its confusion matrix theirs.
 */
describe('AI score packs give what the predictions give', () => {
  let db: TestDatabase;
  let modelId: string;
  let scanIds: string[];
  // Three days and a half, so the range has whole days and partial days at both ends.
  const range = { from: new Date(Date.now() - 3.5 * 86_400_000), to: new Date(Date.now() + 3_600_000) };

  const inRange = `FROM predictions p WHERE p.model_version_id = $3 AND p.scan_arrived_at >= $1 AND p.scan_arrived_at < $2 AND p.ground_truth_mbd IS NOT NULL`;
  const expectPacksMatchPredictions = async () => {
    const calls = await judgedAiCalls(db.dataSource, range, modelId);
    const [cases]: Array<{ positives: number[]; negatives: number[] }> = await db.dataSource.query(
      `SELECT coalesce(array_agg(p.probability ORDER BY p.probability) FILTER (WHERE p.ground_truth_mbd), '{}') AS positives,
              coalesce(array_agg(p.probability ORDER BY p.probability) FILTER (WHERE NOT p.ground_truth_mbd), '{}') AS negatives ${inRange}`,
      [range.from, range.to, modelId],
    );
    expect([Array.from(calls.positives), Array.from(calls.negatives)]).toEqual([cases.positives, cases.negatives]);
    const [confusion] = await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE p.ground_truth_mbd AND p.label = 'MBD')::int AS tp, count(*) FILTER (WHERE NOT p.ground_truth_mbd AND p.label = 'MBD')::int AS fp,
              count(*) FILTER (WHERE NOT p.ground_truth_mbd AND p.label = 'NO_MBD')::int AS tn, count(*) FILTER (WHERE p.ground_truth_mbd AND p.label = 'NO_MBD')::int AS fn
       ${inRange}`,
      [range.from, range.to, modelId],
    );
    expect(calls.confusion).toEqual(confusion);
    return calls;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const [{ id: leadId }] = await db.dataSource.query(
      `INSERT INTO users (email, name, role, active) VALUES ('lead@packs.test', 'Lead', 'LEAD', true) RETURNING id`,
    );
    ({ id: modelId } = await createTestModelVersion(db.dataSource, { name: 'packs', version: '1', status: 'SHADOW' }));
    await seedSyntheticScans(db.dataSource, { count: 9000, modelVersionId: modelId, groundTruthRecordedById: leadId, idSeed: 9 });
    scanIds = (await db.dataSource.query(`SELECT scan_id FROM ground_truths ORDER BY scan_id LIMIT 30`)).map((r: { scan_id: string }) => r.scan_id);
  });
  afterAll(() => db.drop());

  it('pack the seeded days and give the same cases', async () => {
    const calls = await expectPacksMatchPredictions();
    expect(calls.positives.length + calls.negatives.length).toBeGreaterThan(4000);
    const [{ packs }] = await db.dataSource.query(`SELECT count(*)::int AS packs FROM analytics_daily_ai_scores`);
    expect(packs).toBeGreaterThanOrEqual(3);
  });

  it('follow a corrected and a withdrawn diagnosis, a moved arrival, a new call and a withdrawn call', async () => {
    await db.dataSource.query(`UPDATE ground_truths SET mbd = NOT mbd WHERE scan_id = ANY($1)`, [scanIds.slice(0, 10)]);
    await expectPacksMatchPredictions();
    await db.dataSource.query(`DELETE FROM ground_truths WHERE scan_id = $1`, [scanIds[10]]);
    await moveTestScanClocks(
      db.dataSource,
      scanIds.slice(11, 15).map((id) => ({ id, arrivalShiftMinutes: -24 * 60 })),
    );
    await db.dataSource.query(`DELETE FROM predictions WHERE scan_id = $1`, [scanIds[15]]);
    await changeTestPrediction(db.dataSource, scanIds[16], { probability: 0.12345, label: 'NO_MBD' });
    await expectPacksMatchPredictions();
    const [{ stale }] = await db.dataSource.query(`SELECT count(*)::int AS stale FROM analytics_stale_ai_score_days`);
    expect(stale).toBe(0);
  });

  it('are rebuilt, every day of them, by the migration that made them exact', async () => {
    const migration = new PackExactAiScores1796164776634();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    // No day is left for the first request to pack: the packs read are the migration's.
    const [{ stale, packs }] = await db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM analytics_stale_ai_score_days) AS stale, (SELECT count(*)::int FROM analytics_daily_ai_scores) AS packs`,
    );
    expect(stale).toBe(0);
    expect(packs).toBeGreaterThanOrEqual(3);
    await expectPacksMatchPredictions();
  });
});
