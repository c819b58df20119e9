import { GroundTruth, ModelVersion, Patient, Prediction, Review, Scan, ScanView, User } from '@bonescan/db';
import DataLoader from 'dataloader';
import { In, type DataSource, type ObjectLiteral, type EntityTarget } from 'typeorm';

/** One batched query per relation per request: a page of N scans costs the same statements as a page of 5. */
function byId<T extends ObjectLiteral & { id: string }>(dataSource: DataSource, entity: EntityTarget<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await dataSource.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

function groupedBy<T extends ObjectLiteral>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await load([...keys])) {
      const group = groups.get(keyOf(row)) ?? [];
      group.push(row);
      groups.set(keyOf(row), group);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

export function createLoaders(dataSource: DataSource) {
  return {
    patient: byId(dataSource, Patient),
    user: byId(dataSource, User),
    modelVersion: byId(dataSource, ModelVersion),
    viewsByScan: groupedBy(
      (scanIds) => dataSource.getRepository(ScanView).find({ where: { scanId: In(scanIds) }, order: { view: 'ASC' } }),
      (view) => view.scanId,
    ),
    reviewsByScan: groupedBy(
      (scanIds) => dataSource.getRepository(Review).find({ where: { scanId: In(scanIds) }, order: { createdAt: 'ASC' } }),
      (review) => review.scanId,
    ),
    groundTruthByScan: groupedBy(
      (scanIds) => dataSource.getRepository(GroundTruth).findBy({ scanId: In(scanIds) }),
      (truth) => truth.scanId,
    ),
    /** The prediction readers see: the active model's, else the newest one that is not a shadow model's. */
    shownPredictionByScan: groupedBy(
      (scanIds) =>
        dataSource
          .getRepository(Prediction)
          .createQueryBuilder('p')
          .where(
            `p.id IN (SELECT DISTINCT ON (sp.scan_id) sp.id FROM predictions sp
              JOIN model_versions mv ON mv.id = sp.model_version_id
              WHERE sp.scan_id = ANY(:scanIds) AND mv.status <> 'SHADOW'
              ORDER BY sp.scan_id, (mv.status = 'ACTIVE') DESC, sp.created_at DESC)`,
            { scanIds },
          )
          .getMany(),
      (prediction) => prediction.scanId,
    ),
    scansByPatient: groupedBy(
      (patientIds) => dataSource.getRepository(Scan).find({ where: { patientId: In(patientIds) }, order: { arrivedAt: 'DESC' } }),
      (scan) => scan.patientId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
