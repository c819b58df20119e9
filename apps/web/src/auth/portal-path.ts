/** Request header through which the proxy tells server components which page was asked for. */
export const PORTAL_PATH_HEADER = 'x-portal-path';

/** Where a reader lands after sign-in when the link named nowhere usable. */
export const HOME_PATH = '/worklist';

/**
 * The page of this portal a sign-in may return to. The address is read as a browser reads it (against the portal's
 * origin, backslashes as slashes, encoded ones as sent), so `/\evil.example`, `//evil.example`, `/.//evil.example`
 * and `https://evil.example` are seen to lead elsewhere; anything that would leave the portal becomes HOME_PATH.
 * Returns a path (with query and fragment), never an address another site could hide in.
 */
export function portalPath(address: string | null | undefined, portalOrigin = 'http://portal.invalid'): string {
  if (!address) return HOME_PATH;
  let resolved: URL;
  try {
    resolved = new URL(address, portalOrigin);
  } catch {
    return HOME_PATH;
  }
  const path = resolved.pathname + resolved.search + resolved.hash;
  // A path that itself starts with two slashes would be read as another host when used as a link.
  if (resolved.origin !== new URL(portalOrigin).origin || /^\/[/\\]/.test(path)) return HOME_PATH;
  return path;
}
