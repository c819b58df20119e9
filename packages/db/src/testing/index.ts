export { adminQuery, createTestDatabase, withDatabase, type TestDatabase } from './test-database';
export { rollupsBesideSources } from './analytics-rollups';
export {
  changeTestPrediction,
  createTestModelVersion,
  createTestScan,
  moveTestScanClocks,
  plantTestPredictions,
  separateTestPredictionScores,
  setTestHeatMap,
  removeTestHeatMaps,
  setTestModelVersionThreshold,
  type ScanClockChange,
  type TestModelVersion,
} from './clinical-records';
export { TEST_MODEL_CARD, writeTestModelFolder } from './model-cards';
