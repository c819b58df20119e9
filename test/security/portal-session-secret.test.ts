import { startTestApi, type TestApi } from '@bonescan/api/src/testing/test-api';
import { ensurePortalBuild } from '../browser/portal-build';
import { startPortal, type RunningPortal } from '../browser/portal-server';

/** Set as next-auth documents it, under its own name; AUTH_SECRET left unset on both sides. */
const NEXTAUTH_ONLY = 'Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd';
const OLD_PUBLIC_DEFAULT = 'development-only-secret-change-me-in-production!';
const PASSWORD = 'correct horse battery staple';

const cookieHeader = (setCookies: string[]) => setCookies.map((cookie) => cookie.split(';')[0]).join('; ');

/** Signs in as a browser would, through next-auth's own credentials form, and returns the session cookie it sets. */
async function signInThroughPortal(portalUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${portalUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${portalUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(csrf.headers.getSetCookie()) },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('next-auth.session-token='));
  if (!session) throw new Error(`The portal set no session cookie (HTTP ${response.status})`);
  return session.split(';')[0].slice('next-auth.session-token='.length);
}

describe('the session secret between the portal and the API', () => {
  beforeAll(() => ensurePortalBuild(), 15 * 60_000);

  describe('with NEXTAUTH_SECRET alone', () => {
    let api: TestApi;
    let portal: RunningPortal;

    beforeAll(async () => {
      api = await startTestApi({ env: { AUTH_SECRET: undefined, NEXTAUTH_SECRET: NEXTAUTH_ONLY } });
      portal = await startPortal({ API_URL: api.app.url, AUTH_SECRET: '', NEXTAUTH_SECRET: NEXTAUTH_ONLY });
    });
    afterAll(async () => {
      await portal?.stop();
      await api?.close();
    });

    it('the API accepts the session the portal signed at sign-in', async () => {
      const { user } = await api.signInAs('CLINICIAN', PASSWORD);
      const session = await signInThroughPortal(portal.url, user.email, PASSWORD);
      const me = await api.graphql<{ me: { id: string } }>('{ me { id } }', {}, session);
      expect(me.status).toBe(200);
      expect(me.data?.me.id).toBe(user.id);
    });
  });

  it.each([
    ['no secret', { AUTH_SECRET: '', NEXTAUTH_SECRET: '' }, /AUTH_SECRET is not set/],
    ['a short secret', { AUTH_SECRET: 'portal-secret' }, /AUTH_SECRET is too short \(13 characters\)/],
    ['the old public default', { AUTH_SECRET: OLD_PUBLIC_DEFAULT }, /AUTH_SECRET is a published example value/],
  ])('the portal refuses to start with %s', async (_case, secrets, message) => {
    // The API address is never reached: the portal must stop before it serves anything.
    await expect(startPortal({ API_URL: 'http://127.0.0.1:9', ...secrets })).rejects.toThrow(message);
  });
});
