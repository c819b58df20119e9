import fs from 'node:fs';
import { dropTemplateDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  await dropTemplateDatabase();
  const embedded = globalThis.__BONESCAN_PG__;
  if (embedded?.server) await embedded.server.stop();
  if (embedded?.dataDir) fs.rmSync(embedded.dataDir, { recursive: true, force: true });
}
