import type { Config } from '@bonescan/config';
import type { OAuthConfig } from 'next-auth/providers/oauth';

interface OidcProfile {
  sub: string;
  email?: string;
  name?: string;
}

/**
 * Hospital single sign-on, offered only when the issuer and client are configured. The session's
 * `sub` is then the identity provider's subject, which the API accepts only where it equals the
 * account's id: the API has no mapping from hospital identities to accounts yet.
 */
export function oidcProvider(config: Config): OAuthConfig<OidcProfile>[] {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: 'oidc',
      name: 'Hospital single sign-on',
      type: 'oauth',
      wellKnown: `${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile: (profile) => ({ id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null }),
    },
  ];
}
