import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelVersion, Scan } from '@bonescan/db';
import type { Logger } from '@bonescan/logger';
import { writePhantomSet } from '@bonescan/phantoms';
import type { DataSource } from 'typeorm';
import { importFolder } from '../services/api/src/ingest/folder-import';
import type { Ingest } from '../services/api/src/ingest/start-ingest';
import { registerModelVersion, setModelVersionStatus } from '../services/api/src/model-versions/model-versions.service';

/** The model shipped in the repository (trained on phantoms from centres A and B). */
export const SHIPPED_MODEL_DIR = path.resolve(__dirname, '../models/bonescan-vgg16-compact-phantoms');
const DEMO_SCANS = 24;

/** Registers and activates the shipped model on a database that has no model version yet. */
export async function activateShippedModel(dataSource: DataSource, logger: Logger): Promise<void> {
  if ((await dataSource.getRepository(ModelVersion).count()) > 0) return;
  const version = await registerModelVersion(dataSource, SHIPPED_MODEL_DIR, path.dirname(SHIPPED_MODEL_DIR));
  await setModelVersionStatus(dataSource, version.id, 'ACTIVE');
  logger.info({ model: version.name, version: version.version }, 'shipped model registered and active');
}

/**
 * On an empty database, files a few phantom scans (centre C, unseen in training) through the normal ingest,
 * started only then (its prepare workers are not worth starting on every start).
 */
export async function importDemoScans(dataSource: DataSource, startIngest: () => Promise<Ingest>, logger: Logger): Promise<void> {
  if ((await dataSource.getRepository(Scan).count()) > 0) return;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-demo-'));
  const ingest = await startIngest();
  try {
    await writePhantomSet({ n: DEMO_SCANS, prevalence: 0.3, centre: 'C', out: folder, seed: 2026 });
    const summary = await importFolder(path.join(folder, 'dicom'), ingest.service);
    logger.info({ scans: summary.scans, refused: summary.refused.length }, 'demo phantom scans imported');
  } finally {
    await ingest.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
