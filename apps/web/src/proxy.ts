import { NextResponse, type NextRequest } from 'next/server';
import { PORTAL_PATH_HEADER } from './auth/portal-path';
import { SESSION_COOKIES } from './auth/session-token';

/**
 * Portal pages need a session: without a session cookie the reader goes straight to sign-in, with
 * the page they wanted as callback. Whether the session is still valid is the API's call (layout).
 */
export function proxy(request: NextRequest): NextResponse {
  const wanted = request.nextUrl.pathname + request.nextUrl.search;
  if (!SESSION_COOKIES.some((name) => request.cookies.has(name))) {
    const signIn = new URL('/signin', request.url);
    signIn.searchParams.set('callbackUrl', wanted);
    return NextResponse.redirect(signIn);
  }
  const headers = new Headers(request.headers);
  headers.set(PORTAL_PATH_HEADER, wanted);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ['/((?!api/|_next/|signin|favicon.ico).*)'] };
