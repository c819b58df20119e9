/**
 * GraphQL subscriptions over WebSocket (graphql-ws protocol) on the API's own HTTP server, at /graphql.
 * The client authenticates with `connectionParams: { authorization: 'Bearer <token>' }`, as on HTTP.
 */
import type http from 'node:http';
import type { Logger } from '@bonescan/logger';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { ScanEvents } from './scan-events';
import type { SubscriptionContext } from './scan-events.resolver';

export interface SubscriptionServer {
  close(): Promise<void>;
}

export async function serveSubscriptions(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  dataSource: DataSource;
  databaseUrl: string;
  authSecret: string;
  logger: Logger;
  contextFor: (viewer: Viewer | null, clientAddress: string) => RequestContext;
}): Promise<SubscriptionServer> {
  const scanEvents = await ScanEvents.listen(options.databaseUrl, options.logger);
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
  const viewers = new WeakMap<object, Viewer | null>();
  const cleanup = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        try {
          const authorization = ctx.connectionParams?.authorization;
          viewers.set(ctx, await authenticate(typeof authorization === 'string' ? authorization : undefined, options.dataSource, options.authSecret));
          return true;
        } catch {
          return false; // closes with 4403 Forbidden: a bad credential is never treated as anonymous
        }
      },
      context: (ctx): SubscriptionContext => ({
        ...options.contextFor(viewers.get(ctx) ?? null, ctx.extra.request.socket.remoteAddress ?? 'unknown'),
        scanEvents,
      }),
      // Reads of scans are audited per delivered event, as they are per HTTP response.
      onNext: async (_ctx, _id, _payload, args) => {
        await (args.contextValue as SubscriptionContext).audit.flush(options.dataSource);
      },
    },
    wsServer,
  );
  return {
    async close() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await scanEvents.close();
    },
  };
}
