import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

/**
 * Every operation of the portal is written with this `graphql` tag: its result and variables are typed
 * from schema.graphql, so a schema change that breaks a page fails `npm run typecheck`.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTimeISO: string; JSONObject: Record<string, unknown>; ID: string };
  // Fragments here share field lists between queries; they are not component data boundaries.
  disableMasking: true;
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
