import { startTestApi, type TestApi } from '../testing/test-api';
import { issuePortalSession } from './portal-session';

const HOSPITAL_SECRET = 'kq3Xv9L2mZpT7wQe4RsY8uBn1CdFgHjK';
const NEXTAUTH_ONLY = 'Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd';
const NO_SUCH_VIEW = '00000000-0000-4000-8000-000000000000';

async function withApi(env: Record<string, string | undefined>, run: (api: TestApi) => Promise<void>): Promise<void> {
  const api = await startTestApi({ env: { DEMO_DATA: 'false', ...env } });
  try {
    await run(api);
  } finally {
    await api.close();
  }
}

describe('the session secret the API reads', () => {
  it('is NEXTAUTH_SECRET when only that is set, over GraphQL and the pixel routes alike', () =>
    withApi({ AUTH_SECRET: undefined, NEXTAUTH_SECRET: NEXTAUTH_ONLY }, async (api) => {
      const { user } = await api.signInAs('CLINICIAN');
      const session = await issuePortalSession(user.id, NEXTAUTH_ONLY);
      const me = await api.graphql<{ me: { id: string } }>('{ me { id } }', {}, session);
      expect(me.data?.me.id).toBe(user.id);
      // Signed in, so the answer is about the view (none such), not about the caller.
      const pixels = await fetch(`${api.app.url}/views/${NO_SUCH_VIEW}/pixels`, { headers: { authorization: `Bearer ${session}` } });
      expect(pixels.status).toBe(404);
    }));

  it('is AUTH_SECRET when both are set', () =>
    withApi({ AUTH_SECRET: HOSPITAL_SECRET, NEXTAUTH_SECRET: NEXTAUTH_ONLY }, async (api) => {
      const { user } = await api.signInAs('LEAD');
      expect((await api.graphql('{ me { id } }', {}, await issuePortalSession(user.id, HOSPITAL_SECRET))).data?.me.id).toBe(user.id);
      expect((await api.graphql('{ me { id } }', {}, await issuePortalSession(user.id, NEXTAUTH_ONLY))).status).toBe(401);
    }));
});
