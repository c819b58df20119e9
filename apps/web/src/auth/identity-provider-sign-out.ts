import type { Config } from '@bonescan/config';

const DISCOVERY_TIMEOUT_MS = 3000;

/**
 * Where the browser ends its session at the hospital sign-in service too (OpenID Connect RP-initiated logout), so
 * the next person at a shared reading-room workstation is not signed straight back in. Null when single sign-on is
 * off, the session did not come through it, or the service offers no end-session endpoint (or cannot be reached):
 * then only the portal session ends. The service must know `<portal>/signin` as a post-logout redirect URI.
 */
export async function identityProviderSignOut(config: Config, idToken: unknown, portalOrigin: string): Promise<string | null> {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || typeof idToken !== 'string') return null;
  let endSession: unknown;
  try {
    const discovery = await fetch(`${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      cache: 'no-store',
    });
    endSession = discovery.ok ? ((await discovery.json()) as { end_session_endpoint?: unknown }).end_session_endpoint : null;
  } catch {
    return null;
  }
  if (typeof endSession !== 'string') return null;
  const url = new URL(endSession);
  url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('client_id', config.OIDC_CLIENT_ID);
  url.searchParams.set('post_logout_redirect_uri', new URL('/signin', portalOrigin).toString());
  return url.toString();
}
