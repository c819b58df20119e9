export { adminQuery, createTestDatabase, withDatabase, type TestDatabase } from './test-database';
