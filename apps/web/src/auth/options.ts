import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { sessionSecret } from '@bonescan/config';
import { clientAddressStatement } from '../api/forward';
import { portalConfig } from '../config';
import { graphql } from '../graphql/graphql';
import { ApiError, postGraphQL } from '../graphql/request';
import { servedOverHttps } from '../security/headers';
import { admitHospitalIdentity, auditPortalRefusal, OIDC_PROVIDER_ID, oidcProvider } from './oidc';
import { portalPath } from './portal-path';
import { endApiSession } from './end-session';
import { newSessionClaims, sessionToken } from './session-token';

const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      id
      name
      email
    }
  }
`);

/**
 * next-auth keeps the session in an encrypted JWT cookie whose `sub` is the API's user id: the API
 * reads the same cookie value (forwarded as a bearer token) with the same secret, found by the same rule,
 * and accepts it only while the session it names (newSessionClaims) is open. Cookie and token last
 * SESSION_MAX_AGE_MINUTES; after sign-in the reader returns only to a page of the portal (portalPath).
 */
export function authOptions(): NextAuthOptions {
  const config = portalConfig();
  return {
    secret: sessionSecret(config),
    session: { strategy: 'jwt', maxAge: config.SESSION_MAX_AGE_MINUTES * 60 },
    // Left alone, next-auth signs the token for 30 days whatever the cookie's age: one lifetime for both.
    jwt: { maxAge: config.SESSION_MAX_AGE_MINUTES * 60 },
    useSecureCookies: servedOverHttps(),
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'E-mail and password',
        credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, request) {
          if (!credentials?.email || !credentials.password) return null;
          // The API limits failed sign-ins per browser address, not per portal server.
          const addressStatement = clientAddressStatement(request?.headers?.['x-forwarded-for']);
          try {
            const { signIn } = await postGraphQL(
              `${config.API_URL}/graphql`,
              SignIn,
              { email: credentials.email, password: credentials.password },
              addressStatement,
            );
            return signIn;
          } catch (error) {
            if (error instanceof ApiError && (error.code === 'RATE_LIMITED' || error.code === 'API_UNREACHABLE')) throw new Error(error.code);
            return null;
          }
        },
      }),
      ...oidcProvider(config),
    ],
    logger: {
      error(code, metadata) {
        console.error(`[next-auth][error][${code}]`, metadata);
        // A hospital sign-in next-auth refused itself (the answer's state or nonce, the identity provider's token endpoint).
        if (code === 'OAUTH_CALLBACK_ERROR' || code === 'SIGNIN_OAUTH_ERROR') void auditPortalRefusal(config, refusalMessage(metadata));
      },
    },
    events: {
      // next-auth's own sign-out page (/api/auth/signout) ends the API session too, as the portal's button does.
      async signOut() {
        const token = await sessionToken();
        if (token) await endApiSession(config, token);
      },
    },
    callbacks: {
      signIn({ user, account }) {
        return account?.provider === OIDC_PROVIDER_ID ? admitHospitalIdentity(config, user, account.id_token) : true;
      },
      jwt({ token, user, account }) {
        if (!user) return token;
        // The hospital sign-in service's ID token names its session when sign-out ends that too.
        return { ...token, sub: user.id, ...newSessionClaims(), ...(account?.id_token ? { idToken: account.id_token } : {}) };
      },
      redirect({ url, baseUrl }) {
        return new URL(portalPath(url, baseUrl), baseUrl).toString();
      },
      session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
}

/** The message of the error next-auth logs, whether it passes the error itself or `{ error, providerId }`. */
function refusalMessage(metadata: unknown): string {
  const logged = metadata as { message?: unknown; error?: { message?: unknown } } | undefined;
  return String(logged?.error?.message ?? logged?.message ?? '');
}
