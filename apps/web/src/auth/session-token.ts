import { cookies } from 'next/headers';

/** next-auth's cookie names: the __Secure- one when the portal is served over https. */
export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

/**
 * The raw session token (the encrypted JWT next-auth set), which the API accepts as a bearer
 * token. Returns null when the browser sent none.
 */
export async function sessionToken(): Promise<string | null> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const value = jar.get(name)?.value;
    if (value) return value;
  }
  return null;
}

/**
 * What a new session's token carries besides the user: `sid`, a random name for the session, which the API records
 * and ends at sign-out (next-auth's own `jti` changes whenever it renews the cookie), and `signedInAt`, from which the
 * API counts the session's one lifetime (SESSION_MAX_AGE_MINUTES, the cookie's and the token's too).
 */
export const newSessionClaims = () => ({ sid: crypto.randomUUID(), signedInAt: Math.floor(Date.now() / 1000) });
