import { hkdfSync, randomUUID } from 'node:crypto';
import { PortalSession as PortalSessionRecord } from '@bonescan/db';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { DataSource } from 'typeorm';

/**
 * The portal's next-auth (v4) session token: a JWE (dir, A256GCM) whose key is derived from the
 * shared secret by HKDF exactly as next-auth does, so the API can read sessions without calling
 * the portal. The portal stores the user's id as `sub` and names the session (see SessionClaims).
 */
const keys = new Map<string, Uint8Array>();

/** HKDF runs once per secret, not once per request. */
function encryptionKey(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new Uint8Array(hkdfSync('sha256', secret, '', 'NextAuth.js Generated Encryption Key', 32));
    keys.set(secret, key);
  }
  return key;
}

export interface PortalSession {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

/**
 * How long after sign-in the API still records a session it has not seen before. The portal's first page asks the
 * API who is signed in at once; a session the API did not see open then (say, its record was swept or the table
 * restored from a backup) is not accepted later.
 */
const FIRST_USE_WINDOW_SECONDS = 5 * 60;

/**
 * The claims of a session: `sub` (the user's id), `sid` (the session id the portal drew at sign-in; not `jti`, which
 * next-auth draws afresh each time it renews the cookie), `signedInAt` and the token's own `iat`/`exp`, whose span is
 * the session lifetime (SESSION_MAX_AGE_MINUTES) the portal signed it with.
 */
interface SessionClaims {
  sub: string;
  sid: string;
  signedInAt: number;
  lifetimeSeconds: number;
}

function claimsOf(payload: Record<string, unknown>): SessionClaims | null {
  const { sub, sid, signedInAt, iat, exp } = payload;
  if (typeof sub !== 'string' || typeof sid !== 'string' || !UUID.test(sub) || !UUID.test(sid)) return null;
  if (typeof signedInAt !== 'number' || typeof iat !== 'number' || typeof exp !== 'number') return null;
  return { sub, sid, signedInAt, lifetimeSeconds: exp - iat };
}

const FOREIGN_KEY_VIOLATION = '23503';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Returns null for anything that is not a valid session of this secret that is still open at the API: the token
 * must decrypt and be unexpired, and its session must not have ended (sign-out) nor passed sign-in + lifetime.
 */
export async function readPortalSession(token: string, secret: string, dataSource: DataSource): Promise<PortalSession | null> {
  let claims: SessionClaims | null;
  try {
    claims = claimsOf((await jwtDecrypt(token, encryptionKey(secret), { clockTolerance: 15 })).payload);
  } catch {
    return null;
  }
  if (!claims) return null;
  const record = (await dataSource.getRepository(PortalSessionRecord).findOneBy({ id: claims.sid })) ?? (await recordFirstUse(claims, dataSource));
  if (!record || record.userId !== claims.sub || record.endedAt || record.expiresAt.getTime() <= Date.now()) return null;
  return { userId: record.userId, sessionId: record.id, expiresAt: record.expiresAt };
}

/** Records a session seen for the first time, shortly after its sign-in; a second API instance racing it changes nothing. */
async function recordFirstUse(claims: SessionClaims, dataSource: DataSource): Promise<PortalSessionRecord | null> {
  const now = Date.now() / 1000;
  if (now - claims.signedInAt > FIRST_USE_WINDOW_SECONDS || claims.signedInAt > now + 60) return null;
  const expiresAt = new Date((claims.signedInAt + claims.lifetimeSeconds) * 1000);
  const sessions = dataSource.getRepository(PortalSessionRecord);
  try {
    await sessions.createQueryBuilder().insert().values({ id: claims.sid, userId: claims.sub, expiresAt }).orIgnore().execute();
  } catch (error) {
    if ((error as { driverError?: { code?: string } }).driverError?.code === FOREIGN_KEY_VIOLATION) return null; // the account is gone
    throw error;
  }
  // Expired sessions of the same reader are of no further use: their tokens are refused by age alone.
  await sessions.createQueryBuilder().delete().where('user_id = :userId AND expires_at < now()', { userId: claims.sub }).execute();
  return sessions.findOneBy({ id: claims.sid });
}

/** Ends a session (sign-out): its token is refused from now on, wherever it was copied to. Returns false when it had ended already. */
export async function endPortalSession(sessionId: string, dataSource: DataSource): Promise<boolean> {
  const result = await dataSource
    .getRepository(PortalSessionRecord)
    .createQueryBuilder()
    .update()
    .set({ endedAt: () => 'now()' })
    .where('id = :sessionId AND ended_at IS NULL', { sessionId })
    .execute();
  return (result.affected ?? 0) > 0;
}

/** Issues a session token the way the portal does at sign-in; used by tests and benchmarks. */
export async function issuePortalSession(userId: string, secret: string, maxAgeSeconds = 8 * 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new EncryptJWT({ sub: userId, sid: randomUUID(), signedInAt: now })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(now)
    .setExpirationTime(now + maxAgeSeconds)
    .setJti(randomUUID())
    .encrypt(encryptionKey(secret));
}
