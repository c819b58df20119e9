import { sessionSecret } from '@bonescan/config';
import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { endApiSession } from '../../../auth/end-session';
import { identityProviderSignOut } from '../../../auth/identity-provider-sign-out';
import { SESSION_COOKIES, sessionToken } from '../../../auth/session-token';
import { portalConfig } from '../../../config';

/**
 * Sign-out: the API ends the session first, so the cookie's token is refused wherever it was copied to; then this
 * browser forgets the cookie. Answers where to go next: the hospital sign-in service's end-session page when the
 * session came through single sign-on, else the sign-in page. `ended` is false when the API could not be told.
 */
export async function POST(request: Request): Promise<Response> {
  const config = portalConfig();
  const token = await sessionToken();
  let ended = true;
  let next: string | null = null;
  if (token) {
    ended = await endApiSession(config, token);
    const claims = await decode({ token, secret: sessionSecret(config) }).catch(() => null);
    next = await identityProviderSignOut(config, claims?.idToken, config.NEXTAUTH_URL ?? new URL(request.url).origin);
  }
  const jar = await cookies();
  for (const name of SESSION_COOKIES) jar.set(name, '', { maxAge: 0, path: '/', httpOnly: true, sameSite: 'lax', secure: name.startsWith('__Secure-') });
  return Response.json({ ended, next: next ?? '/signin' }, { status: ended ? 200 : 502 });
}
