/**
 * Managing model versions from the API: register a model folder from its model card, choose which version is
 * ACTIVE (shown to readers) or SHADOW (predicts too, seen only in analytics), and re-run a version over the
 * scans of a date range. The API never loads a model: it checks the card's fields; the workers load the
 * weights, and refuse a version that does not load.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_INPUT } from '@bonescan/clinical';
import { ModelVersion, type ModelVersionStatus } from '@bonescan/db';
import { enqueuePrediction, type PgBoss } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { checkRange, type DateRange } from '../analytics/estimate';
import { badInput, conflict, isUniqueViolation, notFound } from '../graphql/errors';

const CARD_FILE = 'model-card.json';

/** The fields of a model card a model version row is made of, checked one by one. */
function cardFields(folder: string, card: Record<string, unknown>) {
  const problem = (what: string) => badInput(`${path.join(folder, CARD_FILE)}: ${what}`, 'path');
  const text = (key: string) => {
    const value = card[key];
    if (typeof value !== 'string' || value.trim() === '') throw problem(`"${key}" must be a non-empty string`);
    return value;
  };
  const input = card.input as { width?: unknown; height?: unknown; channels?: unknown } | undefined;
  if (input?.width !== MODEL_INPUT.width || input?.height !== MODEL_INPUT.height || input?.channels !== MODEL_INPUT.channels) {
    throw problem(`"input" is ${JSON.stringify(card.input)}, but this platform feeds ${MODEL_INPUT.width}x${MODEL_INPUT.height}x${MODEL_INPUT.channels}`);
  }
  const threshold = card.threshold;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) throw problem(`"threshold" must be a number in [0, 1]`);
  if (typeof card.syntheticData !== 'boolean') throw problem(`"syntheticData" must be true or false`);
  return { name: text('name'), version: text('version'), architecture: text('architecture'), threshold, syntheticData: card.syntheticData };
}

function readCard(folder: string): Record<string, unknown> {
  if (!path.isAbsolute(folder)) throw badInput(`path must be absolute (as the workers see it), got "${folder}"`, 'path');
  const file = path.join(folder, CARD_FILE);
  if (!fs.existsSync(file)) throw badInput(`no ${CARD_FILE} in ${folder}: not a model version folder`, 'path');
  if (!fs.existsSync(path.join(folder, 'model.json'))) throw badInput(`no model.json in ${folder}: the weights are missing`, 'path');
  let card: unknown;
  try {
    card = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw badInput(`${file} is not valid JSON (${(error as Error).message})`, 'path');
  }
  if (card === null || typeof card !== 'object' || Array.isArray(card)) throw badInput(`${file} does not hold a JSON object`, 'path');
  return card as Record<string, unknown>;
}

export async function registerModelVersion(dataSource: DataSource, folder: string): Promise<ModelVersion> {
  const card = readCard(folder);
  const fields = cardFields(folder, card);
  try {
    return await dataSource.getRepository(ModelVersion).save({ ...fields, path: folder, status: 'INACTIVE', card });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`model ${fields.name} version ${fields.version} is already registered`);
    throw error;
  }
}

/** Sets a version's status; making one ACTIVE makes the previously ACTIVE one INACTIVE in the same transaction. */
export async function setModelVersionStatus(dataSource: DataSource, id: string, status: ModelVersionStatus): Promise<ModelVersion> {
  return dataSource.transaction(async (manager) => {
    // Two admins activating different versions at once must not leave two ACTIVE: the second waits for the first.
    await manager.query(`LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE`);
    const repository = manager.getRepository(ModelVersion);
    const version = await repository.findOneBy({ id });
    if (!version) throw notFound('model version', id);
    if (status === 'ACTIVE') await manager.query(`UPDATE model_versions SET status = 'INACTIVE' WHERE status = 'ACTIVE' AND id <> $1`, [id]);
    version.status = status;
    return repository.save(version);
  });
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
