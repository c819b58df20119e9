import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming-strategy';

export interface DatabaseOptions {
  url: string;
  /** Connection pool size per process. */
  poolSize?: number;
  /** Called with every SQL statement; tests use it to count queries. */
  onQuery?: (sql: string) => void;
}

/** The one place a TypeORM DataSource is configured. Schema changes come only from migrations. */
export function createDataSource(options: DatabaseOptions): DataSource {
  const config: DataSourceOptions = {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: options.poolSize ?? 10, application_name: 'bonescan' },
    logger: options.onQuery ? new QueryCounter(options.onQuery) : undefined,
    logging: options.onQuery ? ['query'] : false,
  };
  return new DataSource(config);
}

class QueryCounter {
  constructor(private readonly onQuery: (sql: string) => void) {}
  logQuery(query: string): void {
    this.onQuery(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** Opens the database and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
