import { spawn } from 'node:child_process';
import path from 'node:path';
import { User } from '@bonescan/db';
import { startTestApi, type TestApi } from '../testing/test-api';
import { issuePortalSession } from './portal-session';

/** The platform's old built-in secret, published in its own README and source. */
const OLD_PUBLIC_DEFAULT = 'development-only-secret-change-me-in-production!';
const REPO = path.resolve(__dirname, '../../../..');

describe('a forged or missing session secret', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('a session signed with the old public default is refused (401) and creates nobody', async () => {
    const { user: admin } = await api.signInAs('ADMIN');
    const forged = await issuePortalSession(admin.id, OLD_PUBLIC_DEFAULT);
    const usersBefore = await api.db.dataSource.getRepository(User).count();

    const me = await api.graphql('{ me { id role } }', {}, forged);
    expect(me.status).toBe(401);
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const created = await api.graphql(
      `mutation { createUser(input: { email: "intruder@evil.example", name: "Intruder", role: ADMIN, password: "intruder password" }) { id } }`,
      {},
      forged,
    );
    expect(created.status).toBe(401);
    expect(await api.db.dataSource.getRepository(User).count()).toBe(usersBefore);
    expect(await api.db.dataSource.getRepository(User).findOneBy({ email: 'intruder@evil.example' })).toBeNull();

    // The pixel routes read the same secret by the same rule.
    const pixels = await fetch(`${api.app.url}/views/00000000-0000-4000-8000-000000000000/pixels`, { headers: { authorization: `Bearer ${forged}` } });
    expect(pixels.status).toBe(401);
  });

  it.each([
    [
      'no secret at all',
      { AUTH_SECRET: undefined, NEXTAUTH_SECRET: undefined },
      /AUTH_SECRET is not set: .*Set AUTH_SECRET \(or NEXTAUTH_SECRET\) to a random string of at least 32 characters/,
    ],
    ['a short AUTH_SECRET', { AUTH_SECRET: 'hospital-secret' }, /AUTH_SECRET is too short \(15 characters\): replace it with a random string/],
    ['a short NEXTAUTH_SECRET alone', { AUTH_SECRET: undefined, NEXTAUTH_SECRET: 'hospital-secret' }, /NEXTAUTH_SECRET is too short \(15 characters\)/],
    ['the old public default', { AUTH_SECRET: OLD_PUBLIC_DEFAULT }, /AUTH_SECRET is a published example value with which anyone could forge a sign-in/],
  ])('the API refuses to start with %s, outside demo mode', async (_case, env, message) => {
    await expect(startTestApi({ env: { ...env, DEMO_DATA: 'false' } })).rejects.toThrow(message);
  });

  it("the API's own entry point stops with the message before it starts anything", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DEMO_DATA: 'false', LOG_LEVEL: 'silent', API_PORT: '0', DICOM_PORT: '0' };
    delete env.AUTH_SECRET;
    delete env.NEXTAUTH_SECRET;
    // A database nobody listens on: were the secret not checked first, the failure would be a connection error.
    env.DATABASE_URL = 'postgres://nobody@127.0.0.1:9/none';
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/api/src/main.ts'], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/AUTH_SECRET is not set/);
  });
});
