import type { Config } from '@bonescan/config';
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
  const receiver = await startDicomReceiver({ ingest: ingest.service, aeTitle: config.DICOM_AE_TITLE, port: config.DICOM_PORT, logger });
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
