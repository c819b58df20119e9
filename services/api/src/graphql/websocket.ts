/**
 * GraphQL over WebSocket (graphql-ws protocol) on the API's own HTTP server, at /graphql, behind the same
 * safeguards as HTTP. The client authenticates with `connectionParams: { authorization: 'Bearer <token>' }`.
 * A socket is as good as its credential: re-checked for every operation and, while the socket is open, every
 * few seconds and whenever `recheckCredentials` is called (on a revocation); a credential that no longer holds
 * closes the socket with 4401 and the reason, which ends its subscriptions.
 */
import type http from 'node:http';
import type { Logger } from '@bonescan/logger';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { OperationLimits } from './limits';
import { admitOperation, maskError } from './safeguards';

/** How often open sockets' credentials are checked again, in case one was revoked without a signal reaching us. */
export const CREDENTIALS_RECHECK_MS = 5_000;

/** graphql-ws's close code for a client that is not (or no longer) authenticated; its clients do not retry it. */
const UNAUTHORIZED_CLOSE = 4401;
const INTERNAL_CLOSE_REASON = 'Internal server error: the connection was not accepted; the error has been logged';
/** WebSocket close reasons are limited to 123 bytes. */
const closeReason = (message: string) =>
  Buffer.from(`Unauthorized: ${message}`)
    .subarray(0, 123)
    .toString('utf8')
    .replace(/\uFFFD$/, '');

export interface WebSocketEndpoint {
  /** Checks every open socket's credential now; those that no longer hold are closed. */
  recheckCredentials(): Promise<void>;
  close(): Promise<void>;
}

interface Connection<Viewer> {
  authorization: string | undefined;
  viewer: Viewer | null;
}

type ConnectionParams = Record<string, unknown>;

const isCredentialRefusal = (error: unknown) => error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED';

export function serveGraphQLOverWebSocket<Viewer, OperationContext extends object>(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  limits: OperationLimits;
  logger: Logger;
  /** Who the credential stands for (null: none given); throws an UNAUTHENTICATED GraphQLError when it stands for nobody. */
  authenticate(authorization: string | undefined): Promise<Viewer | null>;
  contextFor(viewer: Viewer | null, clientAddress: string, userAgent: string | null): OperationContext;
  /** With each result, before it is sent: e.g. to write the audit of what it shows. */
  afterResult(context: OperationContext): Promise<void>;
}): WebSocketEndpoint {
  const { schema, limits, logger } = options;
  const mask = maskError(logger);
  const connections = new Map<Context<ConnectionParams, Extra>, Connection<Viewer>>();
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql' });

  const refuse = (ctx: Context<ConnectionParams, Extra>, error: GraphQLError) => {
    connections.delete(ctx);
    logger.info({ reason: error.message }, 'closing a GraphQL WebSocket whose credential no longer holds');
    ctx.extra.socket.close(UNAUTHORIZED_CLOSE, closeReason(error.message));
  };

  /** The connection's viewer as of now; false once its credential no longer holds (the socket is closing). */
  const recheck = async (ctx: Context<ConnectionParams, Extra>, connection: Connection<Viewer>): Promise<boolean> => {
    if (connection.authorization === undefined) return true; // an anonymous socket has nothing to lose
    try {
      connection.viewer = await options.authenticate(connection.authorization);
      return true;
    } catch (error) {
      if (!isCredentialRefusal(error)) throw error;
      refuse(ctx, error as GraphQLError);
      return false;
    }
  };

  const cleanup = useServer<ConnectionParams>(
    {
      schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const connection: Connection<Viewer> = { authorization: typeof authorization === 'string' ? authorization : undefined, viewer: null };
        try {
          connection.viewer = await options.authenticate(connection.authorization);
        } catch (error) {
          if (isCredentialRefusal(error)) return false; // closes with 4403 Forbidden: a bad credential is never treated as anonymous
          logger.error({ err: error }, 'could not authenticate a GraphQL WebSocket');
          throw new Error(INTERNAL_CLOSE_REASON); // graphql-ws closes with 4500 and this reason, never the database's words
        }
        connections.set(ctx, connection);
        return true;
      },
      onClose: (ctx) => {
        connections.delete(ctx);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const connection = connections.get(ctx);
        try {
          if (!connection || !(await recheck(ctx, connection)))
            return [new GraphQLError('Credential no longer valid: connect again', { extensions: { code: 'UNAUTHENTICATED' } })];
        } catch (error) {
          return [new GraphQLError('could not re-check the credential', { originalError: error as Error })]; // masked and logged by onError
        }
        const admitted = admitOperation(schema, limits, payload);
        if ('errors' in admitted) return admitted.errors;
        return {
          schema,
          document: admitted.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: options.contextFor(
            connection.viewer,
            ctx.extra.request.socket.remoteAddress ?? 'unknown',
            ctx.extra.request.headers['user-agent'] ?? null,
          ),
        };
      },
      onNext: async (_ctx, _id, _payload, args, result) => {
        await options.afterResult(args.contextValue as OperationContext);
        if (!result.errors) return undefined;
        return { ...result, errors: result.errors.map((error) => mask(error.toJSON(), error)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => mask(error.toJSON(), error)),
    },
    wsServer,
  );

  const recheckCredentials = async () => {
    await Promise.all(
      [...connections].map(([ctx, connection]) =>
        recheck(ctx, connection).catch((error: unknown) => logger.warn({ err: error }, 'could not re-check a WebSocket credential; trying again shortly')),
      ),
    );
  };
  const timer = setInterval(() => void recheckCredentials(), CREDENTIALS_RECHECK_MS).unref();

  return {
    recheckCredentials,
    async close() {
      clearInterval(timer);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
