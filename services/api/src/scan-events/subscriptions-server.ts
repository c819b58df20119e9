/**
 * The WebSocket endpoint at /graphql with what subscriptions need: the scan event source in every operation's
 * context, the audit written per delivered event, and revocations heard from the database.
 */
import type http from 'node:http';
import type { Logger } from '@bonescan/logger';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { authenticate } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import type { OperationLimits } from '../graphql/limits';
import { serveGraphQLOverWebSocket } from '../graphql/websocket';
import { ScanEvents } from './scan-events';
import type { SubscriptionContext } from './scan-events.resolver';

export interface SubscriptionServer {
  close(): Promise<void>;
}

export async function serveSubscriptions(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  limits: OperationLimits;
  dataSource: DataSource;
  databaseUrl: string;
  authSecret: string;
  logger: Logger;
  contextFor: (viewer: Viewer | null, clientAddress: string, userAgent: string | null) => RequestContext;
}): Promise<SubscriptionServer> {
  const scanEvents = await ScanEvents.listen(options.databaseUrl, options.logger);
  const endpoint = serveGraphQLOverWebSocket<Viewer, SubscriptionContext>({
    httpServer: options.httpServer,
    schema: options.schema,
    limits: options.limits,
    logger: options.logger,
    authenticate: (authorization) => authenticate(authorization, options.dataSource, options.authSecret, { fresh: true }),
    contextFor: (viewer, clientAddress, userAgent) => ({ ...options.contextFor(viewer, clientAddress, userAgent), scanEvents }),
    // Reads of scans are audited per delivered event, as they are per HTTP response.
    afterResult: (context) => context.audit.flush(options.dataSource),
  });
  scanEvents.onCredentialsRevoked(() => void endpoint.recheckCredentials());
  return {
    async close() {
      await endpoint.close();
      await scanEvents.close();
    },
  };
}
