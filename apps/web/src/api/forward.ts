import { sessionToken } from '../auth/session-token';
import { portalConfig } from '../config';

const errorResponse = (status: number, code: string, message: string) =>
  Response.json({ errors: [{ message, extensions: { code } }] }, { status });

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
