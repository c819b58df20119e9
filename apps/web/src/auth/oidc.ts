import type { Config } from '@bonescan/config';
import type { User } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
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
