/**
 * Loads the folder as a worker would (so a version that cannot load is never registered), then registers it
 * as an INACTIVE model version in DATABASE_URL and prints its id.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '@bonescan/config';
import { commandLine } from '@bonescan/logger';
import { createDataSource } from '@bonescan/db';
import { loadModelVersion } from '../model';
import { registerModelFolder } from '../worker/model-registry';
import { runCli, UsageError } from './run-cli';

const REGISTER_MODEL = commandLine({
  invocation: 'node -r @swc-node/register services/inference/src/cli/register-model.ts',
  synopsis: '<model version folder> [--backend wasm|cpu|tensorflow|tensorflow-gpu]',
  purpose:
    'Registers a model version folder in the database named by DATABASE_URL as INACTIVE and prints its id; ' +
    'make it ACTIVE or SHADOW with the GraphQL mutation setModelVersionStatus (permission models:manage).',
});

runCli(REGISTER_MODEL, async () => {
  const { values, positionals } = parseArgs({ args: REGISTER_MODEL.arguments(), allowPositionals: true, options: { backend: { type: 'string' } } });
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
