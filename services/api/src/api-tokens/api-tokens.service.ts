import { createHash, randomBytes } from 'node:crypto';
import type { TokenScope } from '@bonescan/clinical';
import { ApiToken, User } from '@bonescan/db';
import type { DataSource } from 'typeorm';
import { badInput, notFound, unauthenticated } from '../graphql/errors';
import { grantableScopes, type Viewer } from '../auth/viewer';

const TOKEN_PREFIX = 'bsk_';
const TOKEN_PATTERN = /^bsk_[A-Za-z0-9_-]{43}$/;
const MAX_LIFETIME_DAYS = 365;
const LAST_USED_RESOLUTION = '1 minute';

/** NOTIFYed when a token is revoked, so open WebSocket subscriptions re-check their credentials at once. */
export const CREDENTIALS_REVOKED_CHANNEL = 'credentials_revoked';

export const isApiToken = (credential: string): boolean => credential.startsWith(TOKEN_PREFIX);
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class ApiTokensService {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates a token for the viewer's own account; the secret is returned this once and stored hashed. */
  async create(viewer: Viewer, input: { name: string; scopes: string[]; expiresInDays: number }): Promise<{ token: ApiToken; secret: string }> {
    const owner = await this.dataSource.getRepository(User).findOneByOrFail({ id: viewer.userId });
    const allowed = grantableScopes(owner.role);
    const refused = input.scopes.filter((scope) => !allowed.includes(scope as TokenScope));
    if (input.scopes.length === 0) throw badInput('Give the token at least one scope', 'scopes');
    if (refused.length > 0) throw badInput(`Scopes not available to a ${owner.role}: ${refused.join(', ')}`, 'scopes');
    if (!(input.expiresInDays >= 1 && input.expiresInDays <= MAX_LIFETIME_DAYS)) {
      throw badInput(`expiresInDays must be between 1 and ${MAX_LIFETIME_DAYS}`, 'expiresInDays');
    }
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const token = await this.dataSource.getRepository(ApiToken).save({
      name: input.name,
      userId: owner.id,
      tokenHash: hashToken(secret),
      prefix: secret.slice(0, 10),
      scopes: [...new Set(input.scopes)],
      expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
    });
    return { token, secret };
  }

  async revoke(id: string): Promise<ApiToken> {
    const repository = this.dataSource.getRepository(ApiToken);
    const token = await repository.findOneBy({ id });
    if (!token) throw notFound('API token', id);
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      await repository.update({ id }, { revokedAt: token.revokedAt });
      await this.dataSource.query('SELECT pg_notify($1, $2)', [CREDENTIALS_REVOKED_CHANNEL, id]);
    }
    return token;
  }

  /**
   * The viewer a bearer token stands for; each way a token can be bad has its own message. Last use is kept
   * to the minute: a PACS sending many requests a second would otherwise make each of them a write, all
   * queued on the same row lock and each waiting for its own commit to reach the disk.
   */
  async authenticate(secret: string): Promise<Viewer> {
    if (!TOKEN_PATTERN.test(secret)) throw unauthenticated('API token is malformed: expected "bsk_" followed by 43 characters');
    const rows: Array<{ id: string; scopes: string[]; expires_at: Date; revoked_at: Date | null; user_id: string; role: Viewer['role']; active: boolean }> =
      await this.dataSource.query(
        `WITH token AS (
           SELECT t.id, t.scopes, t.expires_at, t.revoked_at, t.user_id, t.last_used_at, u.role, u.active
           FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1),
         used AS (
           UPDATE api_tokens t SET last_used_at = now() FROM token
           WHERE t.id = token.id AND (token.last_used_at IS NULL OR token.last_used_at < now() - interval '${LAST_USED_RESOLUTION}'))
         SELECT id, scopes, expires_at, revoked_at, user_id, role, active FROM token`,
        [hashToken(secret)],
      );
    const token = rows[0];
    if (!token) throw unauthenticated('API token is not recognised');
    if (token.revoked_at) throw unauthenticated(`API token was revoked on ${token.revoked_at.toISOString()}`);
    if (token.expires_at.getTime() <= Date.now()) throw unauthenticated(`API token expired on ${token.expires_at.toISOString()}`);
    if (!token.active) throw unauthenticated('The account this API token belongs to is deactivated');
    return { userId: token.user_id, role: token.role, token: { id: token.id, scopes: new Set(token.scopes) } };
  }
}
