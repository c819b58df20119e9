/**
 * `npm start`: the whole platform on one machine — PostgreSQL (embedded unless DATABASE_URL is set),
 * the API with its DICOM receivers, the inference worker(s) and the portal — with demo sign-ins,
 * the shipped model and a few phantom scans seeded on first start. Ctrl-C stops everything cleanly.
 */
import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { blobDir, loadConfig, type Config } from '@bonescan/config';
import { openDatabase, startDatabaseServer } from '@bonescan/db';
import { commandLine, createLogger, type Logger } from '@bonescan/logger';
import { DEMO_ACCOUNTS, seedDemoUsers, type DemoSignIn } from '../services/api/src/demo/demo-users';
import { runCommand, startApiServer, stopOnSignal } from '../services/api/src/server';
import { activateShippedModel, importDemoScans, SHIPPED_MODEL_DIR } from './demo-data';
import { platformSessionSecret } from './demo-secret';

const ROOT = path.resolve(__dirname, '..');
const WEB_DIR = path.join(ROOT, 'apps/web');

const START = commandLine({
  invocation: 'npm start',
  synopsis: '',
  purpose:
    'Runs the whole platform on this machine: PostgreSQL (embedded unless DATABASE_URL is set), the API with its DICOM receivers, ' +
    'the inference worker(s) and the portal. Configured by environment variables (see the README); Ctrl-C stops everything.',
});

/** What every child process needs to find the database, the blobs, the API and the session secret. */
function childEnvironment(config: Config, databaseUrl: string, apiUrl: string): NodeJS.ProcessEnv {
  const webUrl = config.NEXTAUTH_URL ?? `http://127.0.0.1:${config.WEB_PORT}`;
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    BLOB_DIR: blobDir(config),
    API_URL: apiUrl,
    // The secret resolved once, here: the portal and the API cannot end up with different ones.
    AUTH_SECRET: config.AUTH_SECRET,
    NEXTAUTH_URL: webUrl,
    MODEL_DIR: config.MODEL_DIR ?? SHIPPED_MODEL_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

function startWorkers(config: Config, env: NodeJS.ProcessEnv, logger: Logger): ChildProcess[] {
  return Array.from({ length: config.INFERENCE_WORKERS }, (_, i) => {
    const worker = spawn(process.execPath, ['-r', '@swc-node/register', 'services/inference/src/worker/main.ts'], {
      cwd: ROOT,
      env: { ...env, INFERENCE_PORT: String(config.INFERENCE_PORT === 0 ? 0 : config.INFERENCE_PORT + i) },
      stdio: 'inherit',
    });
    worker.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) logger.error({ worker: i, code }, 'inference worker stopped; scans wait in the queue until one runs again');
    });
    return worker;
  });
}

/** The portal runs as a production build; the first start builds it (a minute or two). */
function startPortal(config: Config, env: NodeJS.ProcessEnv, logger: Logger): ChildProcess {
  if (!fs.existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) {
    logger.info('building the portal (first start only)…');
    const build = spawnSync('npm', ['run', 'build', '-w', '@bonescan/web'], { cwd: ROOT, env, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('Building the portal failed: see the output above');
  }
  return spawn('npm', ['run', 'start', '-w', '@bonescan/web', '--', '-p', String(config.WEB_PORT), '-H', '127.0.0.1'], { cwd: ROOT, env, stdio: 'inherit' });
}

/** Demo passwords exist only in the moment they are made: shown then, never again. */
function demoSignInLines(created: DemoSignIn[]): string[] {
  if (created.length > 0) {
    return ['', 'Demo sign-ins, created now (passwords are shown this once; note them):', ...created.map((u) => `  ${u.role.padEnd(10)} ${u.email.padEnd(26)} ${u.password}`)];
  }
  return ['', `Demo sign-ins: ${DEMO_ACCOUNTS.map((u) => u.email).join(', ')} (passwords were shown at the first start)`];
}

async function main(): Promise<void> {
  // No arguments: the environment configures everything, and anything given is refused rather than ignored.
  parseArgs({ args: START.arguments(), options: {} });
  const loaded = loadConfig();
  // Settled before anything starts: a missing or weak secret outside demo mode stops here.
  const config: Config = { ...loaded, AUTH_SECRET: platformSessionSecret(loaded) };
  const logger = createLogger('start', config.LOG_LEVEL);
  const database = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT });
  const dataSource = await openDatabase({ url: database.url });
  logger.info({ embedded: database.embedded }, 'database ready and migrated');
  const demoSignIns = await seedDemoUsers(dataSource, config);
  await activateShippedModel(dataSource, logger);
  const api = await startApiServer({ config, dataSource, databaseUrl: database.url, logger: createLogger('api', config.LOG_LEVEL) });
  if (config.DEMO_DATA) await importDemoScans(dataSource, api.ingest.service, logger);

  const env = childEnvironment(config, database.url, api.app.url);
  const children = [...startWorkers(config, env, logger), startPortal(config, env, logger)];

  const lines = [
    '',
    'Bone-scan decision support is running — research demo, not for clinical decisions',
    `  Portal        ${env.NEXTAUTH_URL}`,
    `  GraphQL API   ${api.app.url}/graphql`,
    `  DICOMweb      ${api.app.url}/dicomweb`,
    `  DICOM C-STORE AE title ${config.DICOM_AE_TITLE}, port ${api.dicomPort}`,
    `  Database      ${database.embedded ? `embedded PostgreSQL, data in ${path.resolve(config.DATA_DIR, 'postgres')}` : 'DATABASE_URL'}`,
    `  Inference     ${config.INFERENCE_WORKERS} worker(s), health at http://127.0.0.1:${config.INFERENCE_PORT}/readyz`,
    ...(config.DEMO_DATA ? demoSignInLines(demoSignIns) : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  stopOnSignal({
    server: api,
    dataSource,
    database,
    logger,
    // Workers finish the batch in hand before the database goes away.
    before: async () => {
      const exited = children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))));
      children.forEach((child) => child.kill('SIGTERM'));
      await Promise.all(exited);
    },
  });
}

runCommand(main);
