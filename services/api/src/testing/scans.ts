/** A patient with one scan and no images: what tests of reading, ground truth and access need, without running ingest. */
export { createTestScan as insertScan } from '@bonescan/db/testing';
