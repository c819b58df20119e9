/**
 * Managing model versions from the API: register a model folder from its model card, choose which version is
 * ACTIVE (shown to readers) or SHADOW (predicts too, seen only in analytics), and re-run a version over the
 * scans of a date range. The API never loads a model: it checks the card; the workers load the weights, and
 * refuse a version that does not load. The rows themselves are written by the record store (@bonescan/db).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelVersionStatus } from '@bonescan/clinical';
import {
  ModelCardError,
  ModelVersion,
  readModelCard,
  registerModelVersion as register,
  setModelVersionStatus as setStatus,
  type ModelCard,
} from '@bonescan/db';
import { enqueuePrediction, type PgBoss } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { checkRange, type DateRange } from '../analytics/estimate';
import { badInput, conflict, notFound } from '../graphql/errors';

/**
 * Registers a model folder, INACTIVE, from its card (checked by the record store's one model-card validator).
 * The folder must hold the weights too: a worker could never load a version without them.
 */
export async function registerModelVersion(dataSource: DataSource, folder: string): Promise<ModelVersion> {
  if (!path.isAbsolute(folder)) throw badInput(`path must be absolute (as the workers see it), got "${folder}"`, 'path');
  const card = readCard(folder);
  if (!fs.existsSync(path.join(folder, 'model.json'))) throw badInput(`no model.json in ${folder}: the weights are missing`, 'path');
  const { version, created } = await register(dataSource, folder, card);
  if (!created) throw conflict(`model ${card.name} version ${card.version} is already registered`);
  return version;
}

function readCard(folder: string): ModelCard {
  try {
    return readModelCard(folder);
  } catch (error) {
    if (error instanceof ModelCardError) throw badInput(error.message, 'path');
    throw error;
  }
}

/** Sets a version's status; making one ACTIVE makes the previously ACTIVE one INACTIVE in the same transaction. */
export async function setModelVersionStatus(dataSource: DataSource, id: string, status: ModelVersionStatus): Promise<ModelVersion> {
  const version = await setStatus(dataSource, id, status);
  if (!version) throw notFound('model version', id);
  return version;
}

/**
 * Queues a prediction by this version for every scan that arrived in the range and has none from it yet, in
 * one transaction. Returns how many were newly queued (a scan whose job is already waiting is not queued twice).
 */
export async function rerunModelVersion(dataSource: DataSource, boss: PgBoss, id: string, range: DateRange): Promise<number> {
  checkRange(range);
  return dataSource.transaction(async (manager) => {
    const version = await manager.getRepository(ModelVersion).findOneBy({ id });
    if (!version) throw notFound('model version', id);
    const scans: Array<{ id: string }> = await manager.query(
      `SELECT s.id FROM scans s
       WHERE s.arrived_at >= $1 AND s.arrived_at < $2
         AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.scan_id = s.id AND p.model_version_id = $3)`,
      [range.from, range.to, id],
    );
    let queued = 0;
    for (const scan of scans) if ((await enqueuePrediction(boss, manager, { scanId: scan.id, modelVersionId: id })) !== null) queued += 1;
    return queued;
  });
}
