/**
 * Managing model versions from the API: register a model folder from its model card, choose which version is
 * ACTIVE (shown to readers) or SHADOW (predicts too, seen only in analytics), and re-run a version over the
 * scans of a date range. The API never loads a model: it checks the card; the workers load the weights, and
 * refuse a version that does not load. The rows themselves are written by the record store (@bonescan/db).
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ModelVersionStatus } from '@bonescan/clinical';
import {
  MODEL_CARD_FILE,
  ModelCardError,
  ModelVersion,
  parseModelCard,
  registerModelVersion as register,
  setModelVersionStatus as setStatus,
  type ModelCard,
} from '@bonescan/db';
import { enqueuePrediction, type PgBoss } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { checkRange, type DateRange } from '../analytics/estimate';
import { badInput, conflict, notFound } from '../graphql/errors';

/** A model card is a few kilobytes of JSON; anything far larger is not one. */
const MODEL_CARD_MAX_BYTES = 1024 * 1024;

/**
 * Registers a model folder, INACTIVE, from its card (checked by the record store's one model-card validator).
 * Only folders inside `modelsDir` (MODELS_DIR) are read, once every link is resolved: the path comes from a
 * request, and the API must not open whatever file on its machine a caller names. The folder must hold the
 * weights too: a worker could never load a version without them.
 */
export async function registerModelVersion(dataSource: DataSource, folder: string, modelsDir: string): Promise<ModelVersion> {
  if (!path.isAbsolute(folder)) throw badInput(`path must be absolute (as the workers see it), got "${folder}"`, 'path');
  const root = await realPath(path.resolve(modelsDir), `the models folder ${modelsDir} (MODELS_DIR) does not exist on the API's machine`);
  const inside = (target: string) => !path.relative(root, target).startsWith('..') && !path.isAbsolute(path.relative(root, target));
  const real = await realPath(folder, `${folder} does not exist`);
  if (!inside(real) || !(await fs.stat(real)).isDirectory())
    throw badInput(`${folder} is not a folder inside the models folder ${root}: copy the model version there first`, 'path');
  const cardFile = await realPath(path.join(real, MODEL_CARD_FILE), `no ${MODEL_CARD_FILE} in ${folder}: not a model version folder`);
  if (!inside(cardFile)) throw badInput(`${MODEL_CARD_FILE} in ${folder} leads outside the models folder ${root}`, 'path');
  const card = await readCard(cardFile, path.join(folder, MODEL_CARD_FILE));
  const weights = await fs.lstat(path.join(real, 'model.json')).catch(() => null);
  if (!weights?.isFile()) throw badInput(`no model.json in ${folder}: the weights are missing`, 'path');
  const { version, created } = await register(dataSource, real, card);
  if (!created) throw conflict(`model ${card.name} version ${card.version} is already registered`);
  return version;
}

async function realPath(target: string, missing: string): Promise<string> {
  try {
    return await fs.realpath(target);
  } catch {
    throw badInput(missing, 'path');
  }
}

/**
 * Reads a card without ever waiting on it: opened non-blocking (a FIFO would otherwise hold the read forever),
 * refused unless a regular file of card size.
 */
async function readCard(file: string, shownAs: string): Promise<ModelCard> {
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOFOLLOW);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw badInput(`${shownAs} is not a regular file`, 'path');
    if (stat.size > MODEL_CARD_MAX_BYTES) throw badInput(`${shownAs} is ${stat.size} bytes, more than a model card's ${MODEL_CARD_MAX_BYTES}`, 'path');
    return parseModelCard(await handle.readFile('utf8'), shownAs);
  } catch (error) {
    if (error instanceof ModelCardError) throw badInput(error.message, 'path');
    throw error;
  } finally {
    await handle.close();
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
