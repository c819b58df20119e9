import type { TadaDocumentNode } from 'gql.tada';
import { postGraphQL } from './request';

/** Runs an operation from the browser through the portal's /api/graphql, which adds the session. */
export function callApi<Result, Variables>(document: TadaDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
  return postGraphQL('/api/graphql', document, variables);
}
