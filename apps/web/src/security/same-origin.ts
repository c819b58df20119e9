const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request that may change something came from a page of the portal itself. A form or script elsewhere —
 * even on another port of the same host, which browsers count as the same site and so send the session cookie to —
 * is refused. Browsers name a request's source in Sec-Fetch-Site, older ones at least in Origin on every POST; a
 * request with neither comes from no browser, so it carries no one else's session.
 */
export function fromThePortal(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const site = request.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = request.headers.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.get('host');
  } catch {
    return false; // "null" (sandboxed frames, data: pages) and anything unparsable
  }
}
