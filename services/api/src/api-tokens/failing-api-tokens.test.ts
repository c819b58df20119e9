import { expectRejected } from '../testing/expect-rejected';
import { testApiOfFile } from '../testing/test-api-of-file';
import { ApiTokensService } from './api-tokens.service';

describe('bad credentials', () => {
  const api = testApiOfFile();

  it('expired, revoked and malformed tokens: UNAUTHENTICATED with the reason', async () => {
    const integrator = await api.signInAs('INTEGRATOR');
    const service = new ApiTokensService(api.db.dataSource);
    const expired = await service.create({ userId: integrator.user.id, role: 'INTEGRATOR' }, { name: 'old', scopes: ['scans:read'], expiresInDays: 1 });
    await api.db.dataSource.query(`UPDATE api_tokens SET expires_at = now() - interval '1 day' WHERE id = $1`, [expired.token.id]);
    const revoked = await service.create({ userId: integrator.user.id, role: 'INTEGRATOR' }, { name: 'gone', scopes: ['scans:read'], expiresInDays: 1 });
    await service.revoke(revoked.token.id);

    const me = (credential: string) => () => api.graphql('{ me { id } }', {}, credential);
    await expectRejected(api, me(expired.secret), 'UNAUTHENTICATED', /API token expired on/);
    await expectRejected(api, me(revoked.secret), 'UNAUTHENTICATED', /API token was revoked on/);
    await expectRejected(api, me('bsk_short'), 'UNAUTHENTICATED', /API token is malformed/);
    await expectRejected(api, me(`bsk_${'A'.repeat(43)}`), 'UNAUTHENTICATED', /API token is not recognised/);
    await expectRejected(api, me('eyJnot-a-session'), 'UNAUTHENTICATED', /Session is invalid, has expired or was signed out/);
  });
});

describe('a token acts only as its owner', () => {
  const api = testApiOfFile();
  const CREATE = `mutation($user: ID) { createApiToken(input: { name: "acts as someone", scopes: ["scans:read"], expiresInDays: 1, userId: $user }) { secret } }`;

  it.each(['CLINICIAN', 'LEAD', 'ADMIN'] as const)('an admin cannot issue a token for a %s: FORBIDDEN, no token stored', async (role) => {
    const admin = await api.signInAs('ADMIN');
    const person = await api.signInAs(role);
    await expectRejected(
      api,
      () => api.graphql(CREATE, { user: person.user.id }, admin.session),
      'FORBIDDEN',
      new RegExp(`^An API token acts as its owner: issue one for yourself or for an integrator account, not for ${person.user.name}, a ${role}$`),
    );
  });

  it('an admin can issue one for an integrator account, or for themself', async () => {
    const admin = await api.signInAs('ADMIN');
    const integrator = await api.signInAs('INTEGRATOR');
    for (const user of [integrator.user.id, admin.user.id, null]) {
      const { errors, data } = await api.graphql(CREATE, { user }, admin.session);
      expect(errors).toBeUndefined();
      const me = await api.graphql('{ me { id } }', {}, data!.createApiToken.secret);
      expect(me.data!.me.id).toBe(user ?? admin.user.id);
    }
  });
});
