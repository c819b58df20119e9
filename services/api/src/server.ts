import type { Config } from '@bonescan/config';
import type { DatabaseServer } from '@bonescan/db';
import type { Logger } from '@bonescan/logger';
import type { DataSource } from 'typeorm';
import { buildApp, type App } from './app';
import { startDicomReceiver } from './ingest/dicom-receiver';
import { startIngest, type Ingest } from './ingest/start-ingest';

export interface ApiServer {
  app: App;
  ingest: Ingest;
  dicomPort: number;
  stop(): Promise<void>;
}

/** The API as deployed: GraphQL, DICOMweb and the C-STORE receiver sharing one ingest service. */
export async function startApiServer(options: { config: Config; dataSource: DataSource; databaseUrl: string; logger: Logger }): Promise<ApiServer> {
  const { config, dataSource, databaseUrl, logger } = options;
  const ingest = await startIngest({ config, dataSource, logger, databaseUrl });
  const receiver = await startDicomReceiver({
    ingest: ingest.service,
    aeTitle: config.DICOM_AE_TITLE,
    port: config.DICOM_PORT,
    allowedCallers: config.DICOM_ALLOWED_CALLERS,
    logger,
  });
  const app = await buildApp({ config, dataSource, logger, ingest: ingest.service });
  logger.info({ aeTitle: config.DICOM_AE_TITLE, port: receiver.port }, 'DICOM C-STORE receiver listening');
  return {
    app,
    ingest,
    dicomPort: receiver.port,
    stop: async () => {
      await receiver.stop();
      await app.shutdown();
      await ingest.stop();
    },
  };
}

/**
 * On the first SIGTERM or SIGINT: stops the API, closes the database connection and the database server it
 * started, and exits. (Under `npm start` the supervisor sends the SIGTERM and stops the other parts itself.)
 */
export function stopOnSignal(parts: { server: ApiServer; dataSource: DataSource; database: DatabaseServer; logger: Logger }): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    parts.logger.info({ signal }, 'stopping');
    await parts.server.stop();
    await parts.dataSource.destroy();
    await parts.database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Runs a command's main function; a failure ends the process with its message and exit code 1. */
export function runCommand(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
