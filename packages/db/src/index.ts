export * from './entities';
export { createDataSource, openDatabase, type DatabaseOptions } from './data-source';
export { commandOf, freePort, livePostmaster, startEmbeddedPostgres, type PostgresServer } from './postgres-server';
export { pendingSchemaChanges } from './schema-drift';
export { seedSyntheticScans, type SyntheticScanOptions } from './seed-scans';
export { startDatabaseServer, type DatabaseServer } from './database-server';
export { checkReadiness, databaseAnswers, type Readiness, type ReadinessCheck } from './readiness';
export { ScanNotFoundError, ScanTransitionError, queueScan, recordScanAiFailure, recordScanReading } from './scans/scan-lifecycle';
export { fileScanInstance, openScanForStudy, type InstanceRecord, type LockedScan, type StudyRecord } from './scans/scan-filing';
export { recordPrediction, type PredictionRecord } from './predictions/record-prediction';
export {
  ARCHITECTURES,
  MODEL_CARD_FILE,
  ModelCardError,
  parseModelCard,
  readModelCard,
  type Architecture,
  type ModelCard,
  type TrainingRecord,
} from './model-versions/model-card';
export {
  findActiveModelVersion,
  findModelVersion,
  findShadowModelVersions,
  registerModelVersion,
  setModelVersionStatus,
  type ModelVersionRef,
} from './model-versions/model-versions';
