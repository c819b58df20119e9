import { startTestApi, type TestApi } from '@bonescan/api/src/testing/test-api';
import { ensurePortalBuild } from '../browser/portal-build';
import { startPortal, type RunningPortal } from '../browser/portal-server';

const SECRET = 'Qw9Er8Ty7Ui6Op5As4Df3Gh2Jk1Lz0Xc';
const FORGED = '203.0.113.9';

const cookieHeader = (setCookies: string[]) => setCookies.map((cookie) => cookie.split(';')[0]).join('; ');

/** A wrong password sent through next-auth's credentials form, as a browser would, claiming the address FORGED. */
async function failSignInClaimingAddress(portalUrl: string, email: string): Promise<void> {
  const csrf = await fetch(`${portalUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  await fetch(`${portalUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(csrf.headers.getSetCookie()), 'x-forwarded-for': FORGED },
    body: new URLSearchParams({ csrfToken, email, password: 'not the password', json: 'true' }),
  });
}

/** The client addresses the API's sign-in limits counted attempts under. */
async function limitedAddresses(api: TestApi): Promise<string[]> {
  const rows: Array<{ key: string }> = await api.db.dataSource.query(`SELECT key FROM sign_in_throttle WHERE key LIKE 'address:%' ORDER BY key`);
  return rows.map((row) => row.key.slice('address:'.length));
}

describe('the browser address the portal states to the API', () => {
  let api: TestApi;

  beforeAll(async () => {
    await ensurePortalBuild();
    api = await startTestApi({ env: { AUTH_SECRET: SECRET } });
  }, 15 * 60_000);
  afterAll(() => api?.close());
  beforeEach(() => api.db.dataSource.query('DELETE FROM sign_in_throttle'));

  const withPortal = async (env: Record<string, string>, run: (portal: RunningPortal) => Promise<void>) => {
    const portal = await startPortal({ API_URL: api.app.url, AUTH_SECRET: SECRET, ...env });
    try {
      await run(portal);
    } finally {
      await portal.stop();
    }
  };

  it('is the socket’s, whatever X-Forwarded-For the browser sends, when no trusted proxy is in front', async () => {
    const { user } = await api.signInAs('CLINICIAN', 'correct horse battery staple');
    await withPortal({}, (portal) => failSignInClaimingAddress(portal.url, user.email));
    expect(await limitedAddresses(api)).toEqual(['127.0.0.1']);
  }, 120_000);

  it('is the one the proxy forwarded when PORTAL_TRUST_PROXY says a proxy that overwrites X-Forwarded-For is in front', async () => {
    const { user } = await api.signInAs('CLINICIAN', 'correct horse battery staple');
    await withPortal({ PORTAL_TRUST_PROXY: 'true' }, (portal) => failSignInClaimingAddress(portal.url, user.email));
    expect(await limitedAddresses(api)).toEqual([FORGED]);
  }, 120_000);
});
