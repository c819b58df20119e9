import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

/**
 * The portal's next-auth (v4) session token: a JWE (dir, A256GCM) whose key is derived from the
 * shared secret by HKDF exactly as next-auth does, so the API can read sessions without calling
 * the portal. The portal stores the user's id as `sub`.
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
  expiresAt: Date;
}

/** Returns null for anything that is not a valid, unexpired session of this secret. */
export async function readPortalSession(token: string, secret: string): Promise<PortalSession | null> {
  try {
    const { payload } = await jwtDecrypt(token, encryptionKey(secret), { clockTolerance: 15 });
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
    return { userId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return null;
  }
}

/** Issues a session token the way next-auth does; used by tests and benchmarks. */
export async function issuePortalSession(userId: string, secret: string, maxAgeSeconds = 8 * 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new EncryptJWT({ sub: userId })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(now)
    .setExpirationTime(now + maxAgeSeconds)
    .setJti(crypto.randomUUID())
    .encrypt(encryptionKey(secret));
}
