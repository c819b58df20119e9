import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { GraphQLSchema } from 'graphql';

/** Deepest field nesting of any operation in the document (fragments followed, cycles cut). */
export function queryDepth(document: DocumentNode, stopAbove = Infinity): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const depthOf = (selectionSet: SelectionSetNode | undefined, visited: ReadonlySet<string>): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visited));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, visited));
      } else if (!visited.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        deepest = Math.max(deepest, depthOf(fragment?.selectionSet, new Set([...visited, selection.name.value])));
      }
      if (deepest > stopAbove) return deepest; // no need to walk the rest of a hostile query
    }
    return deepest;
  };
  return Math.max(0, ...document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? depthOf(d.selectionSet, new Set()) : 0)));
}

const tooLarge = (message: string, details: Record<string, number>) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...details, http: { status: 400 } } });

/**
 * Rejects, before any resolver runs, queries nested deeper than `maxDepth` or whose estimated
 * cost (every field 1, list fields times their page size) exceeds `maxCost`.
 */
export function queryLimits(schema: GraphQLSchema, limits: { maxDepth: number; maxCost: number }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const depth = queryDepth(document, limits.maxDepth);
          if (depth > limits.maxDepth) {
            throw tooLarge(`Query is nested ${depth} levels deep; the limit is ${limits.maxDepth}. Ask for fewer nested fields.`, { depth, maxDepth: limits.maxDepth });
          }
          const cost = getComplexity({
            schema,
            query: document,
            operationName: request.operationName,
            variables: request.variables,
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
          if (cost > limits.maxCost) {
            throw tooLarge(`Query would cost ${cost}; the limit is ${limits.maxCost}. Ask for fewer rows or fields.`, { cost, maxCost: limits.maxCost });
          }
        },
      };
    },
  };
}
