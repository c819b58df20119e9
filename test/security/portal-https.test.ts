import { sessionSecret } from '@bonescan/config';
import { startTestApi, type TestApi } from '@bonescan/api/src/testing/test-api';
import { ensurePortalBuild } from '../browser/portal-build';
import { startPortal, type RunningPortal } from '../browser/portal-server';

const PASSWORD = 'correct horse battery staple';
const cookieHeader = (setCookies: string[]) => setCookies.map((cookie) => cookie.split(';')[0]).join('; ');

/**
 * The portal as a hospital serves it, behind a TLS proxy: its public address (NEXTAUTH_URL) is https. The test talks
 * to it over plain HTTP on the loopback, as that proxy would.
 */
describe('the portal served over HTTPS', () => {
  let api: TestApi;
  let portal: RunningPortal;

  beforeAll(async () => {
    await ensurePortalBuild();
    api = await startTestApi();
    portal = await startPortal({ API_URL: api.app.url, AUTH_SECRET: sessionSecret(api.config), NEXTAUTH_URL: 'https://bonescan.hospital.test' });
  }, 15 * 60_000);
  afterAll(async () => {
    await portal?.stop();
    await api?.close();
  });

  it('asks browsers for HTTPS only from now on, and to upgrade any plain-HTTP address on its pages', async () => {
    const page = await fetch(`${portal.url}/signin`);
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('sets the session cookie Secure, under the __Secure- name the API and the proxy look for', async () => {
    const { user } = await api.signInAs('CLINICIAN', PASSWORD);
    const csrf = await fetch(`${portal.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await fetch(`${portal.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(csrf.headers.getSetCookie()) },
      body: new URLSearchParams({ csrfToken, email: user.email, password: PASSWORD, json: 'true' }),
    });
    const session = response.headers.getSetCookie().find((cookie) => cookie.includes('next-auth.session-token='));
    expect(session).toMatch(/^__Secure-next-auth\.session-token=/);
    expect(session).toMatch(/;\s*Secure/i);
    const token = session!.split(';')[0].slice('__Secure-next-auth.session-token='.length);
    expect((await api.graphql<{ me: { id: string } }>('{ me { id } }', {}, token)).data?.me.id).toBe(user.id);
  });
});
