/**
 * node -r @swc-node/register services/inference/src/cli/register-model.ts <model version folder>
 *
 * Loads the folder as a worker would (so a version that cannot load is never registered), then registers it
 * as an INACTIVE model version in DATABASE_URL and prints its id. Make it ACTIVE or SHADOW through the
 * GraphQL mutation setModelVersionStatus (permission models:manage).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '@bonescan/config';
import { createDataSource } from '@bonescan/db';
import { loadModelVersion } from '../model';
import { registerModelFolder } from '../worker/model-registry';
import { runCli, UsageError } from './run-cli';

const USAGE = 'usage: DATABASE_URL=postgres://... node -r @swc-node/register services/inference/src/cli/register-model.ts <model version folder> [--backend wasm]';

runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { backend: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('give exactly one model version folder');
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new UsageError('DATABASE_URL is not set: it names the database to register the model version in');
  const model = await loadModelVersion(positionals[0], values.backend ?? config.INFERENCE_BACKEND);
  model.dispose();
  const dataSource = createDataSource({ url: config.DATABASE_URL, poolSize: 1 });
  await dataSource.initialize();
  try {
    const { version, created } = await registerModelFolder(dataSource, positionals[0]);
    process.stderr.write(`${created ? 'registered' : 'already registered'}: ${version.name} ${version.version} (${version.status}) from ${version.path}\n`);
    process.stdout.write(`${version.id}\n`);
  } finally {
    await dataSource.destroy();
  }
});
