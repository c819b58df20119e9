import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { sessionSecret, type Config } from '@bonescan/config';
import { checkReadiness, databaseAnswers, findActiveModelVersion } from '@bonescan/db';
import { createLogger, type Logger } from '@bonescan/logger';
import { predictionQueueExists } from '@bonescan/queue';
import express from 'express';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AuditLog, requestOutcome } from './audit/audit-log';
import { authenticate } from './auth/authenticate';
import type { RequestContext } from './graphql/context';
import type { Viewer } from './auth/viewer';
import { serveSubscriptions } from './scan-events/subscriptions-server';
import { httpSafeguards } from './graphql/safeguards';
import { refuseMalformedJson } from './graphql/malformed-json';
import { dicomwebRouter } from './dicomweb/dicomweb.router';
import { createLoaders } from './graphql/loaders';
import { buildApiSchema } from './resolvers';
import type { IngestService } from './ingest/ingest.service';
import { portalStatedAddress, signInAddress, SignInLimiter } from './auth/sign-in-limiter';
import { pixelRoutes } from './views/pixel-routes';
import { securityHeaders } from './security-headers';

export interface App {
  /** Base URL the API listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  express: express.Express;
  dataSource: DataSource;
  logger: Logger;
  shutdown(): Promise<void>;
}

/**
 * Builds the API on an open, migrated database: GraphQL at /graphql, health at /healthz and /readyz, DICOMweb at /dicomweb. Used by
 * main.ts and by the tests alike; `config.API_PORT` 0 picks a free port.
 */
export async function buildApp(options: {
  config: Config;
  dataSource: DataSource;
  logger?: Logger;
  /** Serves DICOMweb at /dicomweb when given. */ ingest?: IngestService;
}): Promise<App> {
  const { config, dataSource } = options;
  // Before anything listens: without a proper secret, anyone could forge a portal session.
  const authSecret = sessionSecret(config);
  const logger = options.logger ?? createLogger('api', config.LOG_LEVEL);
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  // req.ip names the caller behind trusted proxies; sign-in limits never use it (see signInAddress).
  app.set('trust proxy', config.TRUST_PROXY);
  const httpServer = http.createServer(app);
  const schema = await buildApiSchema();
  const signInLimiter = new SignInLimiter(dataSource);

  const limits = { maxDepth: config.QUERY_MAX_DEPTH, maxCost: config.QUERY_MAX_COST };
  const { plugin: operationSafeguards, ...safeguardOptions } = httpSafeguards(schema, limits, logger);

  const apollo = new ApolloServer<RequestContext>({
    schema,
    ...safeguardOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      operationSafeguards,
      // Awaited before the response goes out: a failed audit write fails the request (see AuditLog).
      {
        async requestDidStart() {
          return { willSendResponse: ({ contextValue, errors }) => contextValue.audit.flush(dataSource, requestOutcome(errors)) };
        },
      },
    ],
  });
  await apollo.start();

  // Liveness: the process answers. Readiness: it can do its work — the database answers, the prediction queue is
  // there and a model version is active (else every scan would wait); a balancer sends no traffic while it is not.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res, next) => {
    checkReadiness({
      database: databaseAnswers(dataSource),
      queue: () => predictionQueueExists(dataSource.manager),
      model: async () => (await findActiveModelVersion(dataSource.manager)) !== null,
    }).then((readiness) => res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks }), next);
  });
  app.use(pixelRoutes({ config, dataSource, logger }));
  if (options.ingest) app.use('/dicomweb', dicomwebRouter({ ingest: options.ingest, dataSource, config, logger }));
  const contextFor = (viewer: Viewer | null, clientAddress: string, userAgent: string | null): RequestContext => ({
    dataSource,
    config,
    logger,
    viewer,
    loaders: createLoaders(dataSource),
    audit: new AuditLog(viewer, { address: clientAddress, userAgent }),
    clientAddress,
    signInLimiter,
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    refuseMalformedJson(logger),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        ...contextFor(await authenticate(req.headers.authorization, dataSource, authSecret), signInAddress(req, authSecret), req.get('user-agent') ?? null),
        portalClientAddress: portalStatedAddress(req, authSecret),
      }),
    }),
  );
  const subscriptions = await serveSubscriptions({
    httpServer,
    schema,
    limits,
    dataSource,
    databaseUrl: (dataSource.options as PostgresConnectionOptions).url!,
    authSecret,
    logger,
    contextFor,
  });

  await new Promise<void>((resolve) => httpServer.listen(config.API_PORT, config.API_HOST, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.API_HOST}:${port}`;
  logger.info({ url }, 'api listening');

  return {
    url,
    express: app,
    dataSource,
    logger,
    shutdown: async () => {
      await subscriptions.close();
      await apollo.stop(); // drains the HTTP server too
    },
  };
}
