import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, TEST_MODEL_CARD as CARD, writeTestModelFolder, type TestDatabase } from '../testing';
import { ModelCardError, readModelCard } from './model-card';
import { registerModelVersion, setModelVersionStatus } from './model-versions';

const cardFolder = (card: object | string) => writeTestModelFolder(card, { weights: false });
const { threshold: _threshold, ...withoutThreshold } = CARD;
const { syntheticData: _synthetic, ...withoutSyntheticData } = CARD;

describe('bad model cards are refused, and nothing is registered', () => {
  let db: TestDatabase;
  const registered = async () => (await db.dataSource.query(`SELECT count(*)::int AS n FROM model_versions`))[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  // The worker's loader refused these before…
  it.each([
    ['a card without a threshold', () => cardFolder(withoutThreshold), /"threshold" must be a number in \[0, 1\]/],
    ['a threshold below 0', () => cardFolder({ ...CARD, threshold: -0.1 }), /"threshold" must be a number in \[0, 1\]/],
    ['an unknown architecture', () => cardFolder({ ...CARD, architecture: 'resnet50' }), /"architecture" must be one of vgg16, vgg16-compact, vgg16-tiny/],
    // …and the API these, with rules of its own.
    ['a threshold above 1', () => cardFolder({ ...CARD, threshold: 1.5 }), /"threshold" must be a number in \[0, 1\]/],
    ['a threshold that is text', () => cardFolder({ ...CARD, threshold: '0.4' }), /"threshold" must be a number in \[0, 1\]/],
    [
      'another input size',
      () => cardFolder({ ...CARD, input: { width: 224, height: 224, channels: 3 } }),
      /"input" is \{"width":224,"height":224,"channels":3\}, but this platform feeds 512x512x3/,
    ],
    ['an empty version', () => cardFolder({ ...CARD, version: '' }), /"version" must be a non-empty string/],
    ['a blank name', () => cardFolder({ ...CARD, name: '   ' }), /"name" must be a non-empty string/],
    ['no word on synthetic data', () => cardFolder(withoutSyntheticData), /"syntheticData" must be true or false/],
    ['a card that is a list', () => cardFolder('[]'), /does not hold a JSON object/],
    ['a card that is not JSON', () => cardFolder('{"name":'), /model-card.json is not valid JSON/],
    ['a folder without a card', () => fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-no-card-')), /no model-card.json in .*: not a model version folder/],
  ])('refuses %s with the reason', async (_what, folder, reason) => {
    const dir = folder();
    let error: unknown;
    try {
      await registerModelVersion(db.dataSource, dir, readModelCard(dir));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ModelCardError);
    expect(error).toMatchObject({ code: 'INVALID_MODEL_CARD', message: expect.stringMatching(reason) });
    expect(await registered()).toBe(0);
  });

  it('names every faulty field at once, and the file', () => {
    const dir = cardFolder({ ...CARD, version: '', threshold: 2 });
    expect(() => readModelCard(dir)).toThrow(
      `${path.join(dir, 'model-card.json')}: "version" must be a non-empty string; "threshold" must be a number in [0, 1]`,
    );
  });

  it('finds no version to set a status on', async () => {
    expect(await setModelVersionStatus(db.dataSource, '00000000-0000-4000-8000-000000000000', 'ACTIVE')).toBeNull();
    expect(await registered()).toBe(0);
  });
});
