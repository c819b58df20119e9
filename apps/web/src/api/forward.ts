import { PORTAL_CLIENT_ADDRESS_HEADER, sessionSecret, statePortalClientAddress } from '@bonescan/config';
import { sessionToken } from '../auth/session-token';
import { portalConfig } from '../config';

const errorResponse = (status: number, code: string, message: string) => Response.json({ errors: [{ message, extensions: { code } }] }, { status });

/**
 * The browser's address as the API's sign-in limits should see it, stated in a header signed with the session
 * secret. The last X-Forwarded-For entry is the one the nearest hop (Next itself, or the proxy in front of it)
 * wrote; entries before it are whatever the client claimed.
 */
export function clientAddressStatement(forwardedFor: string | string[] | undefined): Record<string, string> {
  const address = String(forwardedFor ?? '')
    .split(',')
    .pop()
    ?.trim();
  return address ? { [PORTAL_CLIENT_ADDRESS_HEADER]: statePortalClientAddress(sessionSecret(portalConfig()), address) } : {};
}

/**
 * Passes a browser request on to the API with the session cookie as bearer token: the browser
 * never talks to the API itself and never sees a token it could leak.
 */
export async function forwardToApi(path: string, init: { method: 'GET' | 'POST'; body?: string }): Promise<Response> {
  const token = await sessionToken();
  if (!token) return errorResponse(401, 'UNAUTHENTICATED', 'Your session has ended: sign in again');
  let upstream: Response;
  try {
    upstream = await fetch(`${portalConfig().API_URL}${path}`, {
      method: init.method,
      headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body,
      cache: 'no-store',
    });
  } catch {
    return errorResponse(502, 'API_UNREACHABLE', 'The BoneScan API cannot be reached: check that it is running');
  }
  const headers = new Headers();
  for (const name of ['content-type', 'x-width', 'x-height', 'cache-control']) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}
