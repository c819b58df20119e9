import { User } from '@bonescan/db';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { ApiTokensService, isApiToken } from '../api-tokens/api-tokens.service';
import { readPortalSession } from './portal-session';
import type { Viewer } from './viewer';

/**
 * Portal sessions already checked, for a few seconds: a page fires several GraphQL requests at once
 * and each would otherwise decrypt the session and look the user up again. A deactivated account
 * loses access within SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 30_000;
const SESSION_CACHE_SIZE = 10_000;
const checkedSessions = new Map<string, { viewer: Viewer; until: number }>();

function rememberSession(credential: string, viewer: Viewer, expiresAt: Date): void {
  if (checkedSessions.size >= SESSION_CACHE_SIZE) checkedSessions.clear();
  checkedSessions.set(credential, { viewer, until: Math.min(Date.now() + SESSION_CACHE_MS, expiresAt.getTime()) });
}

/** Drops a session that has just ended from the sessions already checked, so this process refuses it at once. */
export function forgetSession(sessionId: string): void {
  for (const [credential, { viewer }] of checkedSessions) if (viewer.sessionId === sessionId) checkedSessions.delete(credential);
}

const rejected = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/**
 * Who is calling: nobody (no Authorization header), an integrator (API token) or a person signed in
 * to the portal (next-auth session token). A credential that is present but bad is an error, never
 * silently anonymous.
 */
export async function authenticate(
  authorization: string | undefined,
  dataSource: DataSource,
  authSecret: string,
  /** `fresh`: past the sessions already checked, as a long-lived socket's re-check must be to see a deactivation now. */
  options: { fresh?: boolean } = {},
): Promise<Viewer | null> {
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
  const remembered = options.fresh ? undefined : checkedSessions.get(credential);
  if (remembered && remembered.until > Date.now()) return remembered.viewer;
  const session = await readPortalSession(credential, authSecret, dataSource);
  if (!session) throw rejected('Session is invalid, has expired or was signed out: sign in again');
  const user = await dataSource.getRepository(User).findOneBy({ id: session.userId });
  if (!user?.active) throw rejected('Session belongs to an account that no longer exists or is deactivated');
  const viewer: Viewer = { userId: user.id, role: user.role, sessionId: session.sessionId };
  rememberSession(credential, viewer, session.expiresAt);
  return viewer;
}
