import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '@bonescan/logger';
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { checkOperation, PARSE_OPTIONS, type OperationLimits } from './limits';

/**
 * The safeguards every GraphQL operation passes, whichever transport brought it: a bounded parse, validation,
 * the depth / cost / text checks of `checkOperation`, and masking of every error the caller did not cause.
 * HTTP (Apollo) and WebSocket (graphql-ws) both take them from here, so neither can drift from the other.
 */

const CLIENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

const INTERNAL_ERROR_MESSAGE = 'Internal server error: the request was not completed; the error has been logged';

/**
 * Client errors pass through as they are, without stack or HTTP hints; anything else (a database message, a
 * server path) is logged and replaced by a neutral message.
 */
export function maskError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? '');
    if (CLIENT_ERROR_CODES.has(code)) {
      const { http: _http, stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error in GraphQL request');
    return { message: INTERNAL_ERROR_MESSAGE, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** Apollo Server's part of the chain: options to spread into its constructor, plus the plugin that checks each operation. */
export function httpSafeguards(schema: GraphQLSchema, limits: OperationLimits, logger: Logger) {
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const refused = checkOperation(schema, document, request.operationName, request.variables, limits);
          if (refused) throw refused;
        },
      };
    },
  };
  return { parseOptions: PARSE_OPTIONS, formatError: maskError(logger), includeStacktraceInErrorResponses: false, plugin };
}

const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });

/**
 * The same chain for an operation arriving any other way (graphql-ws): the parsed document, or the client
 * errors that refuse it, coded as Apollo codes them.
 */
export function admitOperation(
  schema: GraphQLSchema,
  limits: OperationLimits,
  operation: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
): { document: DocumentNode } | { errors: GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(operation.query, PARSE_OPTIONS);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { errors: [withCode(error, 'GRAPHQL_PARSE_FAILED')] };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { errors: invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')) };
  const refused = checkOperation(schema, document, operation.operationName, operation.variables, limits);
  return refused ? { errors: [refused] } : { document };
}
