import { Scan } from '@bonescan/db';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from '../graphql/cursor';
import { badInput } from '../graphql/errors';
import { type ScanConnection, type WorklistFilter, WorklistSort } from './worklist.types';

export const MAX_PAGE_SIZE = 200;

/**
 * Keyset pagination: each page continues strictly after the sort key of the last row seen, so
 * scans arriving while a reader pages through never shift, repeat or hide rows (OFFSET would).
 * Timestamps travel in cursors as PostgreSQL text: JavaScript dates would drop the microseconds.
 */
const SORT_KEYS = {
  [WorklistSort.AI_PRIORITY]: {
    columns: ['coalesce(s.ai_probability, -1)', 's.arrived_at', 's.id'],
    placeholders: [':k0', "(:k1::timestamp AT TIME ZONE 'UTC')", ':k2'],
    shape: ['number', 'timestamp', 'uuid'],
  },
  [WorklistSort.ARRIVAL]: {
    columns: ['s.arrived_at', 's.id'],
    placeholders: ["(:k0::timestamp AT TIME ZONE 'UTC')", ':k1'],
    shape: ['timestamp', 'uuid'],
  },
} as const;

function applyFilter(query: SelectQueryBuilder<Scan>, filter: WorklistFilter): void {
  if (filter.arrivedFrom && filter.arrivedTo && filter.arrivedTo < filter.arrivedFrom) {
    throw badInput('arrivedTo is before arrivedFrom: the date range is empty', 'filter.arrivedTo');
  }
  if (filter.status?.length) query.andWhere('s.status IN (:...status)', { status: filter.status });
  if (filter.aiLabel) query.andWhere('s.ai_label = :aiLabel', { aiLabel: filter.aiLabel });
  if (filter.site) query.andWhere('s.site = :site', { site: filter.site });
  if (filter.arrivedFrom) query.andWhere('s.arrived_at >= :arrivedFrom', { arrivedFrom: filter.arrivedFrom });
  if (filter.arrivedTo) query.andWhere('s.arrived_at < :arrivedTo', { arrivedTo: filter.arrivedTo });
  if (filter.read !== undefined && filter.read !== null) query.andWhere(`s.first_read_at IS ${filter.read ? 'NOT ' : ''}NULL`);
}

export async function findWorklistPage(
  dataSource: DataSource,
  options: { filter: WorklistFilter; sort: WorklistSort; first: number; after?: string | null },
): Promise<ScanConnection> {
  const { filter, sort, first, after } = options;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  const keys = SORT_KEYS[sort];
  const query = dataSource.getRepository(Scan).createQueryBuilder('s');
  // Selected as expressions (never bare columns, which TypeORM would take over as entity fields).
  keys.columns.forEach((column, i) => {
    query.addSelect(column === 's.arrived_at' ? `(${column} AT TIME ZONE 'UTC')::text` : `(${column})`, `k${i}`);
  });
  applyFilter(query, filter);
  if (after) {
    const values = decodeCursor(after, sort, keys.shape);
    query.andWhere(`(${keys.columns.join(', ')}) < (${keys.placeholders.join(', ')})`, Object.fromEntries(values.map((value, i) => [`k${i}`, value])));
  }
  keys.columns.forEach((column) => query.addOrderBy(column, 'DESC'));
  query.limit(first + 1);

  const { entities, raw } = await query.getRawAndEntities<Record<string, string | number>>();
  const page = entities.slice(0, first);
  const edges = page.map((node, i) => ({
    node,
    cursor: encodeCursor(
      sort,
      keys.shape.map((type, k) => (type === 'number' ? Number(raw[i][`k${k}`]) : String(raw[i][`k${k}`]))),
    ),
  }));
  return { edges, pageInfo: { hasNextPage: entities.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
