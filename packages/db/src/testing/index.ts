export { adminQuery, createTestDatabase, withDatabase, type TestDatabase } from './test-database';
export { rollupsBesideSources } from './analytics-rollups';
