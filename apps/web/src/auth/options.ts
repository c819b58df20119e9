import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { sessionSecret } from '@bonescan/config';
import { clientAddressStatement } from '../api/forward';
import { portalConfig } from '../config';
import { graphql } from '../graphql/graphql';
import { ApiError, postGraphQL } from '../graphql/request';
import { admitHospitalIdentity, OIDC_PROVIDER_ID, oidcProvider } from './oidc';

const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) { id name email }
  }
`);

/**
 * next-auth keeps the session in an encrypted JWT cookie whose `sub` is the API's user id: the API
 * reads the same cookie value (forwarded as a bearer token) with the same secret, found by the same rule.
 */
export function authOptions(): NextAuthOptions {
  const config = portalConfig();
  return {
    secret: sessionSecret(config),
    session: { strategy: 'jwt', maxAge: config.SESSION_MAX_AGE_MINUTES * 60 },
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
            const { signIn } = await postGraphQL(`${config.API_URL}/graphql`, SignIn, { email: credentials.email, password: credentials.password }, addressStatement);
            return signIn;
          } catch (error) {
            if (error instanceof ApiError && (error.code === 'RATE_LIMITED' || error.code === 'API_UNREACHABLE')) throw new Error(error.code);
            return null;
          }
        },
      }),
      ...oidcProvider(config),
    ],
    callbacks: {
      signIn({ user, account }) {
        return account?.provider === OIDC_PROVIDER_ID ? admitHospitalIdentity(config, user, account.id_token) : true;
      },
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
}
