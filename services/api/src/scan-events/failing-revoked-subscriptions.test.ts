import { ApiToken, User } from '@bonescan/db';
import { openGraphQLSocket, type GraphQLSocket } from '../testing/graphql-socket';
import { testApiOfFile } from '../testing/test-api-of-file';

/** "Within seconds": the socket must close well before a person could notice, and long before a session would expire. */
const WITHIN_MS = 8_000;

const SCAN_UPDATED = 'subscription { scanUpdated { id status } }';

/** The close event, or a timeout saying the socket stayed open. */
const closedWithin = (socket: GraphQLSocket, ms: number) =>
  Promise.race([socket.closed, new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms).unref())]);

describe('an open WebSocket is as good as its credential', () => {
  const api = testApiOfFile();
  let admin: string;

  beforeAll(async () => {
    admin = (await api.signInAs('ADMIN')).session;
  });

  /** An integrator account with a scans:read token, issued through the API as an admin would. */
  async function integratorToken(): Promise<{ user: User; tokenId: string; secret: string }> {
    const { user } = await api.signInAs('INTEGRATOR');
    const { data, errors } = await api.graphql(
      'mutation Issue($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret token { id } } }',
      { input: { name: 'PACS relay', scopes: ['scans:read'], expiresInDays: 30, userId: user.id } },
      admin,
    );
    expect(errors).toBeUndefined();
    return { user, tokenId: data!.createApiToken.token.id, secret: data!.createApiToken.secret };
  }

  /** A socket with an open scanUpdated subscription; resolves with what ends the subscription. */
  async function subscribed(secret: string) {
    const socket = await openGraphQLSocket(api, secret);
    const ended = new Promise<unknown>((resolve) => {
      socket.client.subscribe({ query: SCAN_UPDATED }, { next: () => undefined, error: resolve, complete: () => resolve('complete') });
    });
    // The subscription is live once an operation sent after it has been answered on the same socket.
    expect((await socket.first('{ me { id } }')).errors).toBeUndefined();
    return { socket, ended };
  }

  it('ends a scanUpdated subscription within seconds of its API token being revoked', async () => {
    const { tokenId, secret } = await integratorToken();
    const { socket, ended } = await subscribed(secret);
    try {
      const revokedAt = Date.now();
      const { errors } = await api.graphql('mutation Revoke($id: ID!) { revokeApiToken(id: $id) { revokedAt } }', { id: tokenId }, admin);
      expect(errors).toBeUndefined();
      const closed = await closedWithin(socket, WITHIN_MS);
      expect(Date.now() - revokedAt).toBeLessThan(WITHIN_MS);
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(/^Unauthorized: API token was revoked on \d{4}-/);
      await ended;
    } finally {
      await socket.dispose();
    }
  });

  it('ends the socket of a user deactivated while it is open', async () => {
    const { user, secret } = await integratorToken();
    const { socket, ended } = await subscribed(secret);
    try {
      await api.db.dataSource.getRepository(User).update({ id: user.id }, { active: false });
      const closed = await closedWithin(socket, WITHIN_MS);
      expect(closed.code).toBe(4401);
      expect(closed.reason).toBe('Unauthorized: The account this API token belongs to is deactivated');
      await ended;
    } finally {
      await socket.dispose();
    }
  });

  it('ends a portal user’s subscription within seconds of the account being deactivated', async () => {
    const { user, session } = await api.signInAs('CLINICIAN');
    const { socket, ended } = await subscribed(session);
    try {
      await api.db.dataSource.getRepository(User).update({ id: user.id }, { active: false });
      const closed = await closedWithin(socket, WITHIN_MS);
      expect(closed).toEqual({ code: 4401, reason: 'Unauthorized: Session belongs to an account that no longer exists or is deactivated' });
      await ended;
    } finally {
      await socket.dispose();
    }
  });

  it('ends a portal user’s subscription within seconds of signing out', async () => {
    const { session } = await api.signInAs('CLINICIAN');
    const { socket, ended } = await subscribed(session);
    try {
      expect((await api.graphql('mutation { signOut }', {}, session)).data).toEqual({ signOut: true });
      const closed = await closedWithin(socket, WITHIN_MS);
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(/^Unauthorized: Session is invalid, has expired or was signed out/);
      await ended;
    } finally {
      await socket.dispose();
    }
  });

  it('refuses a new operation on a socket whose token was revoked, before any re-check comes round', async () => {
    const { tokenId, secret } = await integratorToken();
    const socket = await openGraphQLSocket(api, secret);
    try {
      // Revoked behind the API's back: no signal, so only the per-operation check can notice.
      await api.db.dataSource.getRepository(ApiToken).update({ id: tokenId }, { revokedAt: new Date() });
      const answer = await socket.first('{ me { id role } }');
      expect(answer.data ?? undefined).toBeUndefined();
      expect((await closedWithin(socket, 1_000)).code).toBe(4401);
    } finally {
      await socket.dispose();
    }
  });
});
