import { User } from '@bonescan/db';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { ApiTokensService, isApiToken } from '../api-tokens/api-tokens.service';
import { readPortalSession } from './portal-session';
import type { Viewer } from './viewer';

const rejected = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/**
 * Who is calling: nobody (no Authorization header), an integrator (API token) or a person signed in
 * to the portal (next-auth session token). A credential that is present but bad is an error, never
 * silently anonymous.
 */
export async function authenticate(authorization: string | undefined, dataSource: DataSource, authSecret: string): Promise<Viewer | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw rejected('Authorization header must be "Bearer <token>"');
  const credential = match[1];
  if (isApiToken(credential)) {
    try {
      return await new ApiTokensService(dataSource).authenticate(credential);
    } catch (error) {
      throw rejected((error as Error).message);
    }
  }
  const session = await readPortalSession(credential, authSecret);
  if (!session) throw rejected('Session is invalid or has expired: sign in again');
  const user = await dataSource.getRepository(User).findOneBy({ id: session.userId });
  if (!user?.active) throw rejected('Session belongs to an account that no longer exists or is deactivated');
  return { userId: user.id, role: user.role };
}
