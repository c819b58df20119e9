import type { Config } from '@bonescan/config';
import { OIDC_PROVIDER_ID } from './oidc';

/** Why a single sign-on round trip failed, as far as the portal can tell after the fact. */
export type SingleSignOnFailure = 'IDP_UNREACHABLE' | 'IDP_CLIENT_REFUSED' | 'IDP_ANSWER_REFUSED';

const PROBE_TIMEOUT_MS = 5000;

/**
 * next-auth reports every failed round trip with the identity provider alike. Asked again here: is the provider
 * answering at all, and does its token endpoint accept this portal's client id and secret? A code nobody issued is
 * refused with `invalid_grant` when the client is right and `invalid_client` when it is not (RFC 6749 §5.2); when
 * both hold, it was the answer itself that failed its checks (state, PKCE, nonce).
 */
export async function diagnoseSingleSignOn(config: Config): Promise<SingleSignOnFailure> {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = config;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return 'IDP_ANSWER_REFUSED';
  try {
    const discovery = await fetch(`${OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      cache: 'no-store',
    });
    if (!discovery.ok) return 'IDP_UNREACHABLE';
    const { token_endpoint: tokenEndpoint } = (await discovery.json()) as { token_endpoint?: string };
    if (!tokenEndpoint) return 'IDP_UNREACHABLE';
    const basic = Buffer.from(`${encodeURIComponent(OIDC_CLIENT_ID)}:${encodeURIComponent(OIDC_CLIENT_SECRET)}`).toString('base64');
    const probe = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'portal-configuration-check',
        redirect_uri: `${config.NEXTAUTH_URL ?? ''}/api/auth/callback/${OIDC_PROVIDER_ID}`,
      }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      cache: 'no-store',
    });
    if (probe.status >= 500) return 'IDP_UNREACHABLE';
    const { error } = (await probe.json().catch(() => ({}))) as { error?: string };
    return probe.status === 401 || error === 'invalid_client' ? 'IDP_CLIENT_REFUSED' : 'IDP_ANSWER_REFUSED';
  } catch {
    return 'IDP_UNREACHABLE';
  }
}
