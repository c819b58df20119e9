import { NextResponse, type NextRequest } from 'next/server';
import { PORTAL_PATH_HEADER } from './auth/portal-path';
import { SESSION_COOKIES } from './auth/session-token';
import { contentSecurityPolicy, drawNonce, securityHeaders } from './security/headers';
import { fromThePortal } from './security/same-origin';

/** Pages of the portal proper: everything but its API routes and the sign-in pages. */
const needsSession = (pathname: string) => !pathname.startsWith('/api/') && !pathname.startsWith('/signin');

/**
 * Runs before every portal response. Refuses changes sent from anywhere but a portal page (cross-site request
 * forgery); gives every response its security headers, with a nonce of its own in the Content Security Policy,
 * which Next.js reads from the request to mark its scripts; sends readers without a session cookie to sign in,
 * with the page they wanted as callback. Whether the session is still valid is the API's call (layout).
 */
export function proxy(request: NextRequest): NextResponse {
  const policy = contentSecurityPolicy(drawNonce());
  const secured = (response: NextResponse) => {
    response.headers.set('content-security-policy', policy);
    for (const [name, value] of Object.entries(securityHeaders())) response.headers.set(name, value);
    return response;
  };
  if (!fromThePortal(request)) {
    return secured(
      NextResponse.json(
        { errors: [{ message: 'Refused: changes are accepted only from the portal’s own pages', extensions: { code: 'FORBIDDEN' } }] },
        { status: 403 },
      ),
    );
  }
  const wanted = request.nextUrl.pathname + request.nextUrl.search;
  if (needsSession(request.nextUrl.pathname) && !SESSION_COOKIES.some((name) => request.cookies.has(name))) {
    const signIn = new URL('/signin', request.url);
    signIn.searchParams.set('callbackUrl', wanted);
    return secured(NextResponse.redirect(signIn));
  }
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  headers.set(PORTAL_PATH_HEADER, wanted);
  return secured(NextResponse.next({ request: { headers } }));
}

// Static build output is immutable and holds no page; next.config.ts gives it the fixed headers.
export const config = { matcher: ['/((?!_next/static/|_next/image|favicon.ico).*)'] };
