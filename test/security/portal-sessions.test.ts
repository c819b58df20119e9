import { randomUUID } from 'node:crypto';
import { sessionSecret } from '@bonescan/config';
import { ApiTokensService } from '@bonescan/api/src/api-tokens/api-tokens.service';
import { startTestApi, type TestApi } from '@bonescan/api/src/testing/test-api';
import { encode } from 'next-auth/jwt';

const EIGHT_HOURS = 8 * 3600;
const now = () => Math.floor(Date.now() / 1000);

/**
 * Session cookies made by next-auth's own encoder, the one the portal runs: the API must read what the portal writes,
 * not what the API's test helper writes.
 */
function portalCookie(api: TestApi, claims: Record<string, unknown>, maxAge = EIGHT_HOURS): Promise<string> {
  return encode({ token: claims, secret: sessionSecret(api.config), maxAge });
}

const me = (api: TestApi, credential: string) => api.graphql<{ me: { id: string } | null }>('{ me { id } }', {}, credential);
const signOut = (api: TestApi, credential: string) => api.graphql<{ signOut: boolean }>('mutation { signOut }', {}, credential);

describe('portal sessions at the API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('sign-out ends the session: the same cookie, and the cookie next-auth renews from it, get 401; the sign-out is audited', async () => {
    const { user } = await api.signInAs('CLINICIAN');
    const claims = { sub: user.id, sid: randomUUID(), signedInAt: now() };
    const cookie = await portalCookie(api, claims);
    expect((await me(api, cookie)).data?.me?.id).toBe(user.id);

    const ended = await signOut(api, cookie);
    expect(ended.data?.signOut).toBe(true);

    const after = await me(api, cookie);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/signed out: sign in again/) });
    // next-auth renews a cookie with a fresh iat, exp and jti but the same claims: still the ended session.
    expect((await me(api, await portalCookie(api, claims))).status).toBe(401);

    const audit = await api.db.dataSource.query(`SELECT actor_user_id, entity_id, details FROM audit_events WHERE action = 'user.sign-out'`);
    expect(audit).toEqual([{ actor_user_id: user.id, entity_id: user.id, details: { method: 'portal', sessionId: claims.sid } }]);
  });

  it('signing out of one session leaves the reader’s other sessions open', async () => {
    const { user } = await api.signInAs('LEAD');
    const workstation = await portalCookie(api, { sub: user.id, sid: randomUUID(), signedInAt: now() });
    const office = await portalCookie(api, { sub: user.id, sid: randomUUID(), signedInAt: now() });
    expect((await me(api, office)).data?.me?.id).toBe(user.id);
    expect((await signOut(api, workstation)).data?.signOut).toBe(true);
    expect((await me(api, office)).data?.me?.id).toBe(user.id);
  });

  it('a session lasts its sign-in time plus the lifetime the portal signed it with, however often the cookie is renewed', async () => {
    const { user } = await api.signInAs('CLINICIAN');
    const signedInAt = now();
    const claims = { sub: user.id, sid: randomUUID(), signedInAt };
    expect((await me(api, await portalCookie(api, claims, 3600))).status).toBe(200);
    const [row] = await api.db.dataSource.query(`SELECT extract(epoch FROM expires_at)::int AS expires FROM portal_sessions WHERE id = $1`, [claims.sid]);
    expect(row.expires).toBe(signedInAt + 3600);

    // The hour has passed: a cookie renewed since (its own exp another hour away) no longer opens anything.
    await api.db.dataSource.query(`UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [claims.sid]);
    expect((await me(api, await portalCookie(api, claims, 3600))).status).toBe(401);
  });

  it.each([
    ['a cookie without a session id (as the portal wrote them before sessions were checked)', (userId: string) => ({ sub: userId })],
    ['a session id that is not a UUID', (userId: string) => ({ sub: userId, sid: 'guessable', signedInAt: now() })],
    ['a session the API first sees ten minutes after its sign-in', (userId: string) => ({ sub: userId, sid: randomUUID(), signedInAt: now() - 600 })],
  ])('%s: 401, and no session recorded', async (_case, claimsOf) => {
    const { user } = await api.signInAs('CLINICIAN');
    const before = await api.db.dataSource.query(`SELECT count(*)::int AS n FROM portal_sessions`);
    expect((await me(api, await portalCookie(api, claimsOf(user.id)))).status).toBe(401);
    expect(await api.db.dataSource.query(`SELECT count(*)::int AS n FROM portal_sessions`)).toEqual(before);
  });

  it('an API token does not sign out: BAD_USER_INPUT, and it keeps working', async () => {
    const { user } = await api.signInAs('INTEGRATOR');
    const { secret } = await new ApiTokensService(api.db.dataSource).create(
      { userId: user.id, role: 'INTEGRATOR' },
      { name: 'pacs', scopes: ['scans:read'], expiresInDays: 1 },
    );
    const answer = await signOut(api, secret);
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/revokeApiToken/) });
    expect((await me(api, secret)).data?.me?.id).toBe(user.id);
  });

  it('signing out without credentials ends nothing', async () => {
    expect((await api.graphql<{ signOut: boolean }>('mutation { signOut }')).data?.signOut).toBe(false);
  });
});
