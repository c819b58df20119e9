import { seedSyntheticScans } from './seed-scans';
import { createTestDatabase, rollupsBesideSources, type TestDatabase } from './testing';

/** A write the database rejects, or a transaction rolled back, leaves the analytics rollups as they were. */
describe('analytics rollups after a rejected write', () => {
  let db: TestDatabase;
  let readerId: string;
  let scanId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    [{ id: readerId }] = await db.dataSource.query(
      `INSERT INTO users (email, name, role, active) VALUES ('reader@rollups.test', 'Reader', 'CLINICIAN', true) RETURNING id`,
    );
    const [{ id: leadId }] = await db.dataSource.query(
      `INSERT INTO users (email, name, role, active) VALUES ('lead@rollups.test', 'Lead', 'LEAD', true) RETURNING id`,
    );
    const [{ id: modelId }] = await db.dataSource.query(
      `INSERT INTO model_versions (name, version, architecture, path, threshold, status, synthetic_data, card)
       VALUES ('rollups', '1', 'vgg16-compact', '/none', 0.5, 'SHADOW', true, '{}') RETURNING id`,
    );
    await seedSyntheticScans(db.dataSource, { count: 300, modelVersionId: modelId, readerId, groundTruthRecordedById: leadId, idSeed: 8 });
    [{ scan_id: scanId }] = await db.dataSource.query(`SELECT scan_id FROM predictions ORDER BY scan_id LIMIT 1`);
  });
  afterAll(() => db.drop());

  it('a review with confidence out of range: check violation, rollups unchanged', async () => {
    const before = await rollupsBesideSources(db.dataSource);
    await expect(
      db.dataSource.query(`INSERT INTO reviews (scan_id, reader_id, verdict, confidence, time_spent_ms, ai_visible) VALUES ($1, $2, 'MBD', 9, 8000, true)`, [
        scanId,
        readerId,
      ]),
    ).rejects.toMatchObject({ code: '23514', message: expect.stringMatching(/reviews_confidence_range/) });
    expect(await rollupsBesideSources(db.dataSource)).toEqual(before);
  });

  it('reads, a corrected diagnosis and a withdrawn prediction rolled back: rollups unchanged', async () => {
    const before = await rollupsBesideSources(db.dataSource);
    await expect(
      db.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO reviews (scan_id, reader_id, verdict, confidence, time_spent_ms, ai_visible) VALUES ($1, $2, 'NO_MBD', 4, 8000, false)`,
          [scanId, readerId],
        );
        await manager.query(`UPDATE ground_truths SET mbd = NOT mbd`);
        await manager.query(`DELETE FROM predictions WHERE scan_id = $1`, [scanId]);
        throw new Error('the reader closed the viewer before saving');
      }),
    ).rejects.toThrow(/closed the viewer/);
    expect(await rollupsBesideSources(db.dataSource)).toEqual(before);
  });
});
