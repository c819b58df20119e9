/**
 * Model versions as the database knows them: registering a model folder, and finding the version a job asks for.
 */
import * as path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { readModelCard } from '../model';

export interface ModelVersionRow {
  id: string;
  name: string;
  version: string;
  path: string;
  threshold: number;
  status: 'ACTIVE' | 'SHADOW' | 'INACTIVE';
}

const COLUMNS = 'id, name, version, path, threshold, status';

export async function findModelVersion(db: DataSource | EntityManager, id: string): Promise<ModelVersionRow | undefined> {
  const [row] = await db.query(`SELECT ${COLUMNS} FROM model_versions WHERE id = $1`, [id]);
  return row;
}

export async function findActiveModelVersion(db: DataSource | EntityManager): Promise<ModelVersionRow | undefined> {
  const [row] = await db.query(`SELECT ${COLUMNS} FROM model_versions WHERE status = 'ACTIVE' ORDER BY created_at DESC LIMIT 1`);
  return row;
}

/**
 * Registers a model folder (its model-card.json is read and checked) as a model version; registering the same
 * name and version again returns the existing row unchanged. With `activateIfNoneActive` it becomes ACTIVE
 * when no version is, so a fresh installation predicts with the shipped model without a manual step.
 */
export async function registerModelFolder(
  dataSource: DataSource,
  dir: string,
  options: { activateIfNoneActive?: boolean } = {},
): Promise<{ version: ModelVersionRow; created: boolean }> {
  const card = readModelCard(dir);
  const folder = path.resolve(dir);
  return dataSource.transaction(async (manager) => {
    // Serialises concurrent registrations (N workers starting at once) so only one can become ACTIVE.
    await manager.query(`LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE`);
    const activate = options.activateIfNoneActive === true && (await findActiveModelVersion(manager)) === undefined;
    const inserted: ModelVersionRow[] = await manager.query(
      `INSERT INTO model_versions (name, version, architecture, path, threshold, status, synthetic_data, card)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name, version) DO NOTHING RETURNING ${COLUMNS}`,
      [card.name, card.version, card.architecture, folder, card.threshold, activate ? 'ACTIVE' : 'INACTIVE', card.syntheticData, card],
    );
    if (inserted.length > 0) return { version: inserted[0], created: true };
    const [existing]: ModelVersionRow[] = await manager.query(`SELECT ${COLUMNS} FROM model_versions WHERE name = $1 AND version = $2`, [
      card.name,
      card.version,
    ]);
    if (activate) {
      await manager.query(`UPDATE model_versions SET status = 'ACTIVE' WHERE id = $1`, [existing.id]);
      existing.status = 'ACTIVE';
    }
    return { version: existing, created: false };
  });
}
