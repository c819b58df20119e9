/**
 * The model_versions table's only writer: registering a model folder from its card, and choosing which version
 * is ACTIVE (its calls are shown to readers) or SHADOW (predicts beside it, seen only in analytics). The API
 * and the inference workers both register and both read through here.
 */
import type { ModelVersionStatus } from '@bonescan/clinical';
import type { DataSource, EntityManager } from 'typeorm';
import { ModelVersion } from '../entities/model-version';
import type { ModelCard } from './model-card';

/** What a worker needs of a version to run it and to file its calls. */
export type ModelVersionRef = Pick<ModelVersion, 'id' | 'name' | 'version' | 'path' | 'threshold' | 'status'>;

const REF_COLUMNS = { id: true, name: true, version: true, path: true, threshold: true, status: true } as const;

type Reader = DataSource | EntityManager;

export function findModelVersion(db: Reader, id: string): Promise<ModelVersionRef | null> {
  return db.getRepository(ModelVersion).findOne({ select: REF_COLUMNS, where: { id } });
}

export function findActiveModelVersion(db: Reader): Promise<ModelVersionRef | null> {
  return db.getRepository(ModelVersion).findOne({ select: REF_COLUMNS, where: { status: 'ACTIVE' }, order: { createdAt: 'DESC' } });
}

export function findShadowModelVersions(db: Reader): Promise<ModelVersionRef[]> {
  return db.getRepository(ModelVersion).find({ select: REF_COLUMNS, where: { status: 'SHADOW' } });
}

// Registrations and status changes serialise on this lock: N workers starting at once, or two admins activating
// different versions, must never leave two versions ACTIVE (the unique index would refuse the second).
const serialise = (manager: EntityManager) => manager.query(`LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE`);

/**
 * Registers the model folder `folder` (as the workers see it) with its checked card, INACTIVE; with
 * `activateIfNoneActive` it becomes ACTIVE when no version is, so a fresh installation predicts with the shipped
 * model without a manual step. The same name and version again changes nothing and returns the existing row
 * with `created: false` (activated, if asked and none is active).
 */
export async function registerModelVersion(
  dataSource: DataSource,
  folder: string,
  card: ModelCard,
  options: { activateIfNoneActive?: boolean } = {},
): Promise<{ version: ModelVersion; created: boolean }> {
  return dataSource.transaction(async (manager) => {
    await serialise(manager);
    const activate = options.activateIfNoneActive === true && (await findActiveModelVersion(manager)) === null;
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO model_versions (name, version, architecture, path, threshold, status, synthetic_data, card)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name, version) DO NOTHING RETURNING id`,
      [card.name, card.version, card.architecture, folder, card.threshold, activate ? 'ACTIVE' : 'INACTIVE', card.syntheticData, card],
    );
    const repository = manager.getRepository(ModelVersion);
    if (inserted.length > 0) return { version: await repository.findOneByOrFail({ id: inserted[0].id }), created: true };
    const existing = await repository.findOneByOrFail({ name: card.name, version: card.version });
    if (activate) {
      await manager.query(`UPDATE model_versions SET status = 'ACTIVE' WHERE id = $1`, [existing.id]);
      existing.status = 'ACTIVE';
    }
    return { version: existing, created: false };
  });
}

/**
 * Sets a version's status; making one ACTIVE makes the previously ACTIVE one INACTIVE in the same transaction.
 * Returns null when no version has this id.
 */
export async function setModelVersionStatus(dataSource: DataSource, id: string, status: ModelVersionStatus): Promise<ModelVersion | null> {
  return dataSource.transaction(async (manager) => {
    await serialise(manager);
    const version = await manager.getRepository(ModelVersion).findOneBy({ id });
    if (!version) return null;
    if (status === 'ACTIVE') await manager.query(`UPDATE model_versions SET status = 'INACTIVE' WHERE status = 'ACTIVE' AND id <> $1`, [id]);
    await manager.query(`UPDATE model_versions SET status = $2 WHERE id = $1`, [id, status]);
    version.status = status;
    return version;
  });
}
