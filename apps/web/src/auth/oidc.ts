import type { Config } from '@bonescan/config';
import type { User } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { headers } from 'next/headers';
import { clientAddressStatement } from '../api/forward';
import { graphql } from '../graphql/graphql';
import { ApiError, postGraphQL } from '../graphql/request';

interface OidcProfile {
  sub: string;
  email?: string;
  name?: string;
}

/** The provider id: the identity provider must know `<portal>/api/auth/callback/oidc` as this client's redirect URI. */
export const OIDC_PROVIDER_ID = 'oidc';

/** Where a hospital identity the platform does not let in is told so, with the reason the API gave. */
export const NOT_ENABLED_PATH = '/signin/not-enabled';

const SignInWithSingleSignOn = graphql(`
  mutation SignInWithSingleSignOn($idToken: String!) {
    signInWithSingleSignOn(idToken: $idToken) {
      id
      name
      email
    }
  }
`);

const RecordSingleSignOnRefusal = graphql(`
  mutation RecordSingleSignOnRefusal($reason: PortalSignInRefusal!) {
    recordSingleSignOnRefusal(reason: $reason)
  }
`);

type PortalRefusal = 'NONCE_MISMATCH' | 'STATE_MISMATCH' | 'CLIENT_REJECTED' | 'IDP_UNREACHABLE' | 'CALLBACK_ERROR';

/** Which refusal a failed round trip was: next-auth passes on only the message of openid-client's or its own error. */
export function portalRefusal(message: string): PortalRefusal {
  if (/nonce mismatch|nonce cookie/i.test(message)) return 'NONCE_MISMATCH';
  if (/state mismatch|state cookie/i.test(message)) return 'STATE_MISMATCH';
  // RFC 6749 §5.2: the token endpoint's answer to a client id or secret it does not accept.
  if (/invalid_client/.test(message)) return 'CLIENT_REJECTED';
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|timed out|socket hang up|expected 200 OK/i.test(message)) return 'IDP_UNREACHABLE';
  return 'CALLBACK_ERROR';
}

/**
 * Audits a single sign-on next-auth refused before the API was asked (its `logger.error` is the only place it says so).
 * Only a fixed reason travels, with the browser's address signed as the portal states it for sign-ins; when the API
 * cannot be reached the refusal is still in the portal's log.
 */
export async function auditPortalRefusal(config: Config, message: string): Promise<void> {
  const addressStatement = clientAddressStatement((await headers()).get('x-forwarded-for') ?? undefined);
  try {
    await postGraphQL(`${config.API_URL}/graphql`, RecordSingleSignOnRefusal, { reason: portalRefusal(message) }, addressStatement);
  } catch (error) {
    console.error(`A refused single sign-on could not be audited: ${(error as Error).message}`);
  }
}

/**
 * Hospital single sign-on, offered only when the issuer and client are configured. State, PKCE and nonce tie the
 * identity provider's answer to the browser that asked; which platform account the identity is, the API decides.
 */
export function oidcProvider(config: Config): OAuthConfig<OidcProfile>[] {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: OIDC_PROVIDER_ID,
      name: 'Hospital single sign-on',
      type: 'oauth',
      wellKnown: `${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state', 'nonce'],
      profile: (profile) => ({ id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null }),
    },
  ];
}

/**
 * Lets a hospital identity in as the platform account the API maps it to: the session then carries that account's
 * id, never the identity provider's subject. Otherwise the path of the page that says why (next-auth redirects there).
 */
export async function admitHospitalIdentity(config: Config, user: User, idToken: string | undefined): Promise<true | string> {
  if (!idToken) return `${NOT_ENABLED_PATH}?reason=id-token-invalid`;
  try {
    const { signInWithSingleSignOn } = await postGraphQL(`${config.API_URL}/graphql`, SignInWithSingleSignOn, { idToken });
    user.id = signInWithSingleSignOn.id;
    user.email = signInWithSingleSignOn.email;
    user.name = signInWithSingleSignOn.name;
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'API_UNREACHABLE') return '/signin?error=API_UNREACHABLE';
    const reason = error instanceof ApiError && error.reason ? error.reason : 'unexpected';
    return `${NOT_ENABLED_PATH}?reason=${encodeURIComponent(reason)}`;
  }
}
