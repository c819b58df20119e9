export * from './entities';
export { createDataSource, openDatabase, type DatabaseOptions } from './data-source';
export { startEmbeddedPostgres, freePort, type PostgresServer } from './postgres-server';
export { pendingSchemaChanges } from './schema-drift';
export { seedSyntheticScans, type SyntheticScanOptions } from './seed-scans';
export { startDatabaseServer, type DatabaseServer } from './database-server';
