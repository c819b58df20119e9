import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { predictionQueuePolicy } from '@bonescan/config';
import { PREDICT_QUEUE, startQueue, type PgBoss } from '@bonescan/queue';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CARD, REGISTER, RERUN, SET_STATUS, writeModelFolder } from '../testing/model-versions';
import { startTestApi, type TestApi } from '../testing/test-api';

/** Folders holding a FIFO: removed after the tests, so nothing else that walks the temporary folder blocks on one. */
const fifoFolders: string[] = [];

describe('model versions: refused requests change nothing', () => {
  let api: TestApi;
  let admin: string;
  let boss: PgBoss;
  const snapshot = async () => ({
    versions: await api.db.dataSource.query(`SELECT id, status FROM model_versions ORDER BY id`),
    jobs: (await api.db.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [PREDICT_QUEUE]))[0].n,
  });

  beforeAll(async () => {
    // The test folders are made in the system's temporary folder: that is the models folder here.
    api = await startTestApi({ env: { MODELS_DIR: os.tmpdir() } });
    admin = (await api.signInAs('ADMIN')).session;
    boss = await startQueue(api.db.url, predictionQueuePolicy(api.config));
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true });
    await api?.close();
    for (const folder of fifoFolders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('refuses model management to a clinician', async () => {
    const before = await snapshot();
    const { session } = await api.signInAs('CLINICIAN');
    const { errors } = await api.graphql(REGISTER, { path: writeModelFolder(CARD) }, session);
    expect(errors?.[0]).toMatchObject({ message: 'models:manage is not allowed for the CLINICIAN role', extensions: { code: 'FORBIDDEN' } });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a relative path', () => 'models/v1', /path must be absolute \(as the workers see it\), got "models\/v1"/],
    ['a folder without a card', () => path.dirname(writeModelFolder(CARD)), /no model-card.json in .*: not a model version folder/],
    [
      'a card that is not JSON',
      () => {
        const dir = writeModelFolder(CARD);
        fs.writeFileSync(path.join(dir, 'model-card.json'), '{"name":');
        return dir;
      },
      /model-card.json is not valid JSON/,
    ],
    [
      'a folder without weights',
      () => {
        const dir = writeModelFolder(CARD);
        fs.rmSync(path.join(dir, 'model.json'));
        return dir;
      },
      /no model.json in .*: the weights are missing/,
    ],
    ['a threshold outside [0, 1]', () => writeModelFolder({ ...CARD, threshold: 1.5 }), /"threshold" must be a number in \[0, 1\]/],
    [
      'another input size',
      () => writeModelFolder({ ...CARD, input: { width: 224, height: 224, channels: 3 } }),
      /"input" is .*, but this platform feeds 512x512x3/,
    ],
    ['a card without a version', () => writeModelFolder({ ...CARD, version: '' }), /"version" must be a non-empty string/],
    ['a folder outside the models folder', () => '/etc', /\/etc is not a folder inside the models folder/],
    [
      'a card that links outside the models folder',
      () => {
        const dir = writeModelFolder(CARD);
        fs.rmSync(path.join(dir, 'model-card.json'));
        fs.symlinkSync('/etc/passwd', path.join(dir, 'model-card.json'));
        return dir;
      },
      /model-card.json in .* leads outside the models folder/,
    ],
    [
      'a card that is a FIFO',
      () => {
        const dir = writeModelFolder(CARD);
        fs.rmSync(path.join(dir, 'model-card.json'));
        execFileSync('mkfifo', [path.join(dir, 'model-card.json')]);
        fifoFolders.push(dir);
        return dir;
      },
      /model-card.json is not a regular file/,
    ],
  ])('refuses %s with the reason', async (_what, folder, message) => {
    const before = await snapshot();
    const started = performance.now();
    const { errors } = await api.graphql(REGISTER, { path: folder() }, admin);
    // A FIFO read blocking would hang here; reading a few files takes milliseconds, so seconds mean waiting.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0].message).toMatch(message);
    expect(errors?.[0].message).not.toMatch(/root:/); // never the content of a file that is not a card
    expect(await snapshot()).toEqual(before);
  });

  it('refuses the same name and version twice', async () => {
    expect((await api.graphql(REGISTER, { path: writeModelFolder({ ...CARD, version: 'twice' }) }, admin)).errors).toBeUndefined();
    const before = await snapshot();
    const { errors } = await api.graphql(REGISTER, { path: writeModelFolder({ ...CARD, version: 'twice' }) }, admin);
    expect(errors?.[0]).toMatchObject({ message: 'model bonescan-vgg16 version twice is already registered', extensions: { code: 'CONFLICT' } });
    expect(await snapshot()).toEqual(before);
  });

  it('says which version does not exist, and rejects a backwards range', async () => {
    const before = await snapshot();
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await api.graphql(SET_STATUS, { id: missing, status: 'ACTIVE' }, admin)).errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const [version] = before.versions;
    const backwards = await api.graphql(RERUN, { id: version.id, range: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' } }, admin);
    expect(backwards.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(backwards.errors?.[0].message).toMatch(/range ends .* before it starts/);
    expect(await snapshot()).toEqual(before);
  });

  it('closes a subscription connection that brings a bad credential', async () => {
    const client = createClient({
      url: api.app.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: 'Bearer not-a-session' },
      retryAttempts: 0,
    });
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: `subscription { scanUpdated { id } }` },
        { next: () => resolve('delivered'), error: resolve, complete: () => resolve('completed') },
      );
    });
    await client.dispose();
    expect(outcome).toMatchObject({ code: 4403 });
  });
});
