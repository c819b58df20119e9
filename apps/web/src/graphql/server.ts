import type { TadaDocumentNode } from 'gql.tada';
import { sessionToken } from '../auth/session-token';
import { portalConfig } from '../config';
import { ApiError, postGraphQL } from './request';

/** Runs an operation against the API as the signed-in user (server components and route handlers). */
export async function queryAsViewer<Result, Variables>(document: TadaDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
  const token = await sessionToken();
  if (!token) throw new ApiError('UNAUTHENTICATED', 'Not signed in');
  return postGraphQL(`${portalConfig().API_URL}/graphql`, document, variables, { authorization: `Bearer ${token}` });
}
