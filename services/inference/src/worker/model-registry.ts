/**
 * Registering a model folder from a worker or the register-model command line; the row is written by the record
 * store (@bonescan/db), which both the API and the workers register through.
 */
import * as path from 'node:path';
import { registerModelVersion, type ModelVersionRef } from '@bonescan/db';
import type { DataSource } from 'typeorm';
import { readModelCard } from '../model';

/**
 * Registers a model folder (its model-card.json is read and checked) as a model version; registering the same
 * name and version again returns the existing row unchanged. With `activateIfNoneActive` it becomes ACTIVE
 * when no version is, so a fresh installation predicts with the shipped model without a manual step.
 */
export async function registerModelFolder(
  dataSource: DataSource,
  dir: string,
  options: { activateIfNoneActive?: boolean } = {},
): Promise<{ version: ModelVersionRef; created: boolean }> {
  return registerModelVersion(dataSource, path.resolve(dir), readModelCard(dir), options);
}
