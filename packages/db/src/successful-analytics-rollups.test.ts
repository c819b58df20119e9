import { seedSyntheticScans } from './seed-scans';
import { createTestDatabase, rollupsBesideSources, type TestDatabase } from './testing';

/**
 * The analytics rollups are kept by triggers; after each kind of write, and after writes racing
 * each other on one scan, they must hold exactly what the source rows give.
 */
describe('analytics rollups follow every write', () => {
  let db: TestDatabase;
  let readerId: string;
  let activeModel: string;
  let scanIds: string[];

  const expectRollupsMatchSources = async () => {
    const rollups = await rollupsBesideSources(db.dataSource);
    for (const { held, fromSources } of Object.values(rollups)) expect(held).toEqual(fromSources);
    return rollups;
  };
  const modelVersion = async (version: string): Promise<string> =>
    (
      await db.dataSource.query(
        `INSERT INTO model_versions (name, version, architecture, path, threshold, status, synthetic_data, card)
         VALUES ('rollups', $1, 'vgg16-compact', '/none', 0.5, 'SHADOW', true, '{}') RETURNING id`,
        [version],
      )
    )[0].id;
  const review = (scanId: string, aiVisible: boolean, verdict: string, reasons: string[] = []) =>
    db.dataSource.query(
      `INSERT INTO reviews (scan_id, reader_id, verdict, confidence, time_spent_ms, ai_visible, hotspot_assessments)
       VALUES ($1, $2, $3, 3, 9000, $4, $5::jsonb)`,
      [scanId, readerId, verdict, aiVisible, JSON.stringify(reasons.map((reason, hotspotIndex) => ({ hotspotIndex, reason })))],
    );

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 4 });
    [{ id: readerId }] = await db.dataSource.query(
      `INSERT INTO users (email, name, role, active) VALUES ('reader@rollups.test', 'Reader', 'CLINICIAN', true) RETURNING id`,
    );
    const [{ id: leadId }] = await db.dataSource.query(
      `INSERT INTO users (email, name, role, active) VALUES ('lead@rollups.test', 'Lead', 'LEAD', true) RETURNING id`,
    );
    activeModel = await modelVersion('active');
    // Three days of scans (37 s apart), predicted, read and most with ground truth: the bench's data in small.
    await seedSyntheticScans(db.dataSource, { count: 6000, modelVersionId: activeModel, readerId, groundTruthRecordedById: leadId, idSeed: 7 });
    scanIds = (await db.dataSource.query(`SELECT scan_id FROM ground_truths ORDER BY scan_id LIMIT 40`)).map((r: { scan_id: string }) => r.scan_id);
  });
  afterAll(() => db.drop());

  it('hold what the seeded rows give', async () => {
    const rollups = await expectRollupsMatchSources();
    expect(rollups.reads.held.length).toBeGreaterThan(50);
    expect(rollups.probabilityBands.held.length).toBeGreaterThan(500);
  });

  it('follow reads both ways with hotspot reasons, a corrected verdict and a withdrawn read', async () => {
    for (const scanId of scanIds.slice(0, 10)) {
      await review(scanId, false, 'MBD');
      await review(scanId, true, 'NO_MBD', ['DEGENERATIVE', 'URINE']);
    }
    await db.dataSource.query(`UPDATE reviews SET verdict = 'EQUIVOCAL', confidence = 2 WHERE scan_id = $1`, [scanIds[0]]);
    await db.dataSource.query(`UPDATE reviews SET ai_visible = NOT ai_visible WHERE scan_id = $1`, [scanIds[1]]);
    await db.dataSource.query(`DELETE FROM reviews WHERE scan_id = $1 AND ai_visible`, [scanIds[2]]);
    const rollups = await expectRollupsMatchSources();
    expect(rollups.hotspotReasons.held.length).toBeGreaterThan(0);
    expect(rollups.pairedReads.held.length).toBeGreaterThan(0);
  });

  it('follow ground truth recorded, corrected and withdrawn, and a scan whose arrival moves to another day', async () => {
    await db.dataSource.query(`UPDATE ground_truths SET mbd = NOT mbd WHERE scan_id = ANY($1)`, [scanIds.slice(0, 8)]);
    await db.dataSource.query(`DELETE FROM ground_truths WHERE scan_id = $1`, [scanIds[8]]);
    await db.dataSource.query(`UPDATE scans SET arrived_at = arrived_at - interval '2 days' WHERE id = ANY($1)`, [scanIds.slice(3, 6)]);
    await expectRollupsMatchSources();
  });

  it('follow a second model version that calls scans already read, a changed call and a withdrawn prediction', async () => {
    const shadow = await modelVersion('shadow');
    await db.dataSource.query(
      `INSERT INTO predictions (scan_id, model_version_id, probability, label, threshold, backend, latency_ms)
       SELECT id, $2, 0.9, 'MBD', 0.5, 'cpu', 900 FROM unnest($1::uuid[]) AS id`,
      [scanIds.slice(0, 20), shadow],
    );
    await db.dataSource.query(`UPDATE predictions SET probability = 0.2, label = 'NO_MBD' WHERE model_version_id = $1 AND scan_id = $2`, [shadow, scanIds[0]]);
    await db.dataSource.query(`DELETE FROM predictions WHERE model_version_id = $1 AND scan_id = $2`, [shadow, scanIds[1]]);
    await expectRollupsMatchSources();
  });

  it('count a read and a prediction of one scan written at once by two transactions exactly once', async () => {
    const racing = await modelVersion('racing');
    const [reading, predicting] = [db.dataSource.createQueryRunner(), db.dataSource.createQueryRunner()];
    try {
      for (const [i, scanId] of scanIds.slice(20, 24).entries()) {
        const write = {
          reading: () =>
            reading.query(`INSERT INTO reviews (scan_id, reader_id, verdict, confidence, time_spent_ms, ai_visible) VALUES ($1, $2, 'MBD', 5, 8000, true)`, [
              scanId,
              readerId,
            ]),
          predicting: () =>
            predicting.query(
              `INSERT INTO predictions (scan_id, model_version_id, probability, label, threshold, backend, latency_ms) VALUES ($1, $2, 0.7, 'MBD', 0.5, 'cpu', 900)`,
              [scanId, racing],
            ),
        };
        // Either side first: the second row goes in while the first is uncommitted, and its trigger waits for the first to commit.
        const [first, second] = i % 2 === 0 ? (['reading', 'predicting'] as const) : (['predicting', 'reading'] as const);
        const runners = { reading, predicting };
        await runners[first].startTransaction();
        await runners[second].startTransaction();
        await write[first]();
        const secondWrite = write[second]();
        await runners[first].commitTransaction();
        await secondWrite;
        await runners[second].commitTransaction();
      }
    } finally {
      await reading.release();
      await predicting.release();
    }
    const rollups = await expectRollupsMatchSources();
    const racingReads = rollups.reads.held.filter((row) => row[1] === racing);
    expect(racingReads.reduce((sum, row) => sum + Number(row[row.length - 1]), 0)).toBe(4);
  });
});
