/**
 * Whether browsers reach the portal over HTTPS: its public address (NEXTAUTH_URL) says so. The one rule for HSTS and
 * for next-auth's `Secure` (and `__Secure-`) session cookies, so the two never disagree.
 */
export const servedOverHttps = (): boolean => Boolean(process.env.NEXTAUTH_URL?.startsWith('https://'));

/** A fresh, unguessable nonce for one response: only scripts and styles carrying it run. */
export const drawNonce = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');

/**
 * The Content Security Policy of one response. Scripts run only with the nonce (Next.js puts it on its own scripts
 * and styles when it finds it in the request's policy); `style-src-attr` keeps React's inline `style` attributes
 * (viewer geometry), which cannot carry a nonce and run no code. Nothing may frame the portal.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(servedOverHttps() ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Headers every portal response carries, static files included: no framing (older browsers), no MIME sniffing, no referrer off the portal. */
export const FIXED_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** The fixed headers, and HSTS when served over HTTPS (decided at run time, not when the portal was built). */
export function securityHeaders(): Record<string, string> {
  return { ...FIXED_SECURITY_HEADERS, ...(servedOverHttps() ? { 'strict-transport-security': 'max-age=31536000' } : {}) };
}
