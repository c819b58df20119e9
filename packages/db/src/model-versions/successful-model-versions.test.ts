import { createTestDatabase, TEST_MODEL_CARD, writeTestModelFolder, type TestDatabase } from '../testing';
import { readModelCard } from './model-card';
import { findActiveModelVersion, findShadowModelVersions, registerModelVersion, setModelVersionStatus } from './model-versions';

/** A card with a record beyond the checked fields, which must be kept as written. */
const CARD = { ...TEST_MODEL_CARD, architecture: 'vgg16-compact', threshold: 0.37, training: { bestEpoch: 3 } };
const cardFolder = (card: object) => writeTestModelFolder(card);

describe('model versions in the record store', () => {
  let db: TestDatabase;
  const statuses = async () =>
    Object.fromEntries(
      (await db.dataSource.query(`SELECT version, status FROM model_versions`)).map((r: { version: string; status: string }) => [r.version, r.status]),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('registers a folder from its card, INACTIVE, keeping the whole card', async () => {
    const dir = cardFolder(CARD);
    const { version, created } = await registerModelVersion(db.dataSource, dir, readModelCard(dir));
    expect(created).toBe(true);
    expect(version).toMatchObject({
      name: 'bonescan-vgg16',
      version: '2026-11-27',
      architecture: 'vgg16-compact',
      path: dir,
      threshold: 0.37,
      status: 'INACTIVE',
      syntheticData: true,
      card: CARD,
    });
  });

  it('returns the registered row for the same name and version, and activates it when none is ACTIVE and asked to', async () => {
    const dir = cardFolder(CARD);
    const again = await registerModelVersion(db.dataSource, dir, readModelCard(dir), { activateIfNoneActive: true });
    expect(again).toMatchObject({ created: false, version: { version: CARD.version, status: 'ACTIVE' } });
    expect(await findActiveModelVersion(db.dataSource)).toMatchObject({ id: again.version.id, version: CARD.version });
  });

  it('keeps one ACTIVE version; SHADOW versions sit beside it', async () => {
    const register = async (version: string) => {
      const dir = cardFolder({ ...CARD, version });
      return (await registerModelVersion(db.dataSource, dir, readModelCard(dir))).version.id;
    };
    const [b, c] = [await register('b'), await register('c')];
    expect(await setModelVersionStatus(db.dataSource, c, 'SHADOW')).toMatchObject({ id: c, status: 'SHADOW' });
    expect(await setModelVersionStatus(db.dataSource, b, 'ACTIVE')).toMatchObject({ id: b, status: 'ACTIVE' });
    expect(await statuses()).toEqual({ [CARD.version]: 'INACTIVE', b: 'ACTIVE', c: 'SHADOW' });
    expect((await findShadowModelVersions(db.dataSource)).map((v) => v.id)).toEqual([c]);
  });

  it('activates only one of many workers registering at once', async () => {
    await db.dataSource.query(`UPDATE model_versions SET status = 'INACTIVE'`);
    const dirs = ['w1', 'w2', 'w3', 'w4'].map((version) => cardFolder({ ...CARD, version }));
    await Promise.all(dirs.map((dir) => registerModelVersion(db.dataSource, dir, readModelCard(dir), { activateIfNoneActive: true })));
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM model_versions WHERE status = 'ACTIVE'`)).toEqual([{ n: 1 }]);
  });
});
