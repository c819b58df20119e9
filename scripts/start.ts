/**
 * `npm start`: the whole platform on one machine — PostgreSQL (embedded unless DATABASE_URL is set),
 * the API with its DICOM receivers, the inference worker(s) and the portal — with demo sign-ins,
 * the shipped model and a few phantom scans seeded on first start. This process supervises the others:
 * each runs as its own child in this process group and is started again (with back-off) when it dies;
 * Ctrl-C or SIGTERM stops them all, the database last. A start whose ports are still held by parts of an
 * earlier run refuses with who holds them.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BlobStore } from '@bonescan/blobstore';
import { blobDir, loadConfig, type Config } from '@bonescan/config';
import { freePort, livePostmaster, openDatabase, startDatabaseServer } from '@bonescan/db';
import { commandLine, createLogger, type Logger } from '@bonescan/logger';
import { DEMO_ACCOUNTS, seedDemoUsers, type DemoSignIn } from '../services/api/src/demo/demo-users';
import { startIngest } from '../services/api/src/ingest/start-ingest';
import { runCommand } from '../services/api/src/server';
import { activateShippedModel, importDemoScans, SHIPPED_MODEL_DIR } from './demo-data';
import { platformSessionSecret } from './demo-secret';
import { launchNodeChild } from './supervisor/node-child';
import { refuseTakenPorts, type PlatformPort } from './supervisor/ports';
import { SupervisedPart } from './supervisor/supervised';

const ROOT = path.resolve(__dirname, '..');
const WEB_DIR = path.join(ROOT, 'apps/web');

const START = commandLine({
  invocation: 'npm start',
  synopsis: '[--without-portal]',
  purpose:
    'Runs the whole platform on this machine: PostgreSQL (embedded unless DATABASE_URL is set), the API with its DICOM receivers, ' +
    'the inference worker(s) and the portal, each started again when it dies. Configured by environment variables (see the README); ' +
    'Ctrl-C stops everything. --without-portal leaves the portal out (it runs elsewhere, or is not needed).',
});

/** Staged blobs older than this were left by a crash: a live writer publishes its own within seconds. */
const LEFTOVER_BLOB_AGE_MS = 60_000;
const NODE_TS = ['-r', '@swc-node/register'];

/** The ports this start will use: a configured 0 becomes a free port now, so that a restarted part keeps its port. */
interface PlatformPorts {
  api: number;
  dicom: number;
  web: number;
  workers: number[];
  postgres: number;
}

async function settlePorts(config: Config): Promise<PlatformPorts> {
  const chosen = async (port: number) => port || freePort();
  return {
    api: await chosen(config.API_PORT),
    dicom: await chosen(config.DICOM_PORT),
    web: await chosen(config.WEB_PORT),
    workers: await Promise.all(
      Array.from({ length: config.INFERENCE_WORKERS }, (_, i) => (config.INFERENCE_PORT === 0 ? freePort() : config.INFERENCE_PORT + i)),
    ),
    postgres: await chosen(config.EMBEDDED_POSTGRES_PORT),
  };
}

function portsToCheck(config: Config, ports: PlatformPorts, withPortal: boolean): PlatformPort[] {
  const needed: PlatformPort[] = [
    { port: ports.api, what: 'the API', setting: 'API_PORT' },
    { port: ports.dicom, what: 'the DICOM C-STORE receiver', setting: 'DICOM_PORT' },
    ...ports.workers.map((port, i) => ({ port, what: `inference worker ${i + 1}`, setting: 'INFERENCE_PORT' })),
  ];
  if (withPortal) needed.push({ port: ports.web, what: 'the portal', setting: 'WEB_PORT' });
  // A server still running on our own data folder is not refused here: startDatabaseServer stops it when its run
  // crashed, and names who runs it otherwise.
  const ownServer = livePostmaster(path.resolve(config.DATA_DIR, 'postgres'));
  if (!config.DATABASE_URL && ownServer?.port !== ports.postgres)
    needed.push({ port: ports.postgres, what: 'the embedded PostgreSQL', setting: 'EMBEDDED_POSTGRES_PORT' });
  return needed;
}

/** The database as a supervised part (embedded), or the one DATABASE_URL names (nothing to supervise). */
async function superviseDatabase(config: Config, port: number, logger: Logger): Promise<{ url: string; embedded: boolean; part: SupervisedPart }> {
  let url = config.DATABASE_URL ?? '';
  let embedded = false;
  const part = new SupervisedPart(
    'PostgreSQL',
    async () => {
      const server = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, port, exclusive: true });
      ({ url, embedded } = server);
      return { exited: server.exited.then(() => 'the server process ended'), stop: server.stop };
    },
    logger,
  );
  await part.start();
  return { url, embedded, part };
}

/** Migrations, demo sign-ins, the shipped model and demo scans, through a connection closed before the parts start. */
async function prepareDatabase(config: Config, databaseUrl: string, logger: Logger): Promise<DemoSignIn[]> {
  const dataSource = await openDatabase({ url: databaseUrl });
  try {
    logger.info('database ready and migrated');
    const demoSignIns = await seedDemoUsers(dataSource, config);
    await activateShippedModel(dataSource, logger);
    if (config.DEMO_DATA) await importDemoScans(dataSource, () => startIngest({ config, dataSource, logger, databaseUrl }), logger);
    return demoSignIns;
  } finally {
    await dataSource.destroy();
  }
}

const loopback = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

/** What every child process needs to find the database, the blobs, the API and the session secret. */
function childEnvironment(config: Config, databaseUrl: string, apiUrl: string): NodeJS.ProcessEnv {
  const webUrl = config.NEXTAUTH_URL ?? `http://127.0.0.1:${config.WEB_PORT}`;
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    BLOB_DIR: blobDir(config),
    API_URL: apiUrl,
    // Ports settled once (a configured 0 resolved), so that a restarted part listens where the others look.
    API_PORT: String(config.API_PORT),
    DICOM_PORT: String(config.DICOM_PORT),
    WEB_PORT: String(config.WEB_PORT),
    // The secret resolved once, here: the portal and the API cannot end up with different ones.
    AUTH_SECRET: config.AUTH_SECRET,
    NEXTAUTH_URL: webUrl,
    MODEL_DIR: config.MODEL_DIR ?? SHIPPED_MODEL_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

function apiPart(config: Config, env: NodeJS.ProcessEnv, logger: Logger): SupervisedPart {
  return new SupervisedPart(
    'API',
    () =>
      launchNodeChild({
        name: 'the API',
        args: [...NODE_TS, 'services/api/src/main.ts'],
        cwd: ROOT,
        env,
        readyUrl: `${env.API_URL}/healthz`,
        readyTimeoutMs: 180_000,
      }),
    logger,
  );
}

function workerParts(config: Config, env: NodeJS.ProcessEnv, ports: number[], logger: Logger): SupervisedPart[] {
  return ports.map(
    (port, i) =>
      new SupervisedPart(
        `inference worker ${i + 1}`,
        () =>
          launchNodeChild({
            name: `inference worker ${i + 1}`,
            args: [...NODE_TS, 'services/inference/src/worker/main.ts'],
            cwd: ROOT,
            env: { ...env, INFERENCE_PORT: String(port) },
            // Liveness answers before the model is loaded; /readyz says when it is.
            readyUrl: `http://${loopback(config.INFERENCE_HOST)}:${port}/healthz`,
            readyTimeoutMs: 180_000,
          }),
        logger,
      ),
  );
}

/** The portal runs as a production build; the first start builds it (a minute or two). */
function portalPart(env: NodeJS.ProcessEnv, port: number, logger: Logger): SupervisedPart {
  if (!fs.existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) {
    logger.info('building the portal (first start only)…');
    const build = spawnSync('npm', ['run', 'build', '-w', '@bonescan/web'], { cwd: ROOT, env, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('Building the portal failed: see the output above');
  }
  return new SupervisedPart(
    'portal',
    () =>
      launchNodeChild({
        name: 'the portal',
        // The portal's server itself rather than through npm, so that the supervised process is the one that listens.
        args: [...NODE_TS, 'server.ts', '-p', String(port), '-H', '127.0.0.1'],
        cwd: WEB_DIR,
        env,
        readyUrl: `http://127.0.0.1:${port}/`,
        readyTimeoutMs: 180_000,
      }),
    logger,
  );
}

/** Demo passwords exist only in the moment they are made: shown then, never again. */
function demoSignInLines(created: DemoSignIn[]): string[] {
  if (created.length > 0) {
    return [
      '',
      'Demo sign-ins, created now (passwords are shown this once; note them):',
      ...created.map((u) => `  ${u.role.padEnd(10)} ${u.email.padEnd(26)} ${u.password}`),
    ];
  }
  return ['', `Demo sign-ins: ${DEMO_ACCOUNTS.map((u) => u.email).join(', ')} (passwords were shown at the first start)`];
}

/** Stops the parts in order — portal and workers (each finishing its batch), the API, then the database — and exits. */
function stopAllOnSignal(parts: { front: SupervisedPart[]; api?: SupervisedPart; database: SupervisedPart }, logger: Logger): (code: number) => Promise<void> {
  let stopping: Promise<void> | undefined;
  const stopAll = (code: number) => {
    stopping ??= (async () => {
      await Promise.all(parts.front.map((part) => part.stop()));
      await parts.api?.stop();
      await parts.database.stop();
      process.exit(code);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping every part');
      void stopAll(0);
    });
  }
  return stopAll;
}

async function main(): Promise<void> {
  // The environment configures everything; anything else given is refused rather than ignored.
  const { values } = parseArgs({ args: START.arguments(), options: { 'without-portal': { type: 'boolean', default: false } } });
  const withPortal = !values['without-portal'];
  const loaded = loadConfig();
  // Settled before anything starts: a missing or weak secret outside demo mode stops here.
  const config: Config = { ...loaded, AUTH_SECRET: platformSessionSecret(loaded) };
  const logger = createLogger('start', config.LOG_LEVEL);
  const ports = await settlePorts(config);
  await refuseTakenPorts(portsToCheck(config, ports, withPortal));
  const swept = await new BlobStore(blobDir(config)).sweepStaged(LEFTOVER_BLOB_AGE_MS);
  if (swept > 0) logger.info({ swept }, 'removed half-stored blobs left by an earlier crash');

  const database = await superviseDatabase(config, ports.postgres, logger);
  const parts: { front: SupervisedPart[]; api?: SupervisedPart; database: SupervisedPart } = { front: [], database: database.part };
  const stopAll = stopAllOnSignal(parts, logger);
  try {
    const demoSignIns = await prepareDatabase(config, database.url, logger);
    const apiUrl = `http://${loopback(config.API_HOST)}:${ports.api}`;
    const env = childEnvironment({ ...config, API_PORT: ports.api, DICOM_PORT: ports.dicom, WEB_PORT: ports.web }, database.url, apiUrl);
    parts.api = apiPart(config, env, logger);
    await parts.api.start();
    parts.front = [...workerParts(config, env, ports.workers, logger), ...(withPortal ? [portalPart(env, ports.web, logger)] : [])];
    await Promise.all(parts.front.map((part) => part.start()));
    printBanner(config, { ports, apiUrl, webUrl: env.NEXTAUTH_URL, embedded: database.embedded, withPortal, demoSignIns });
  } catch (error) {
    logger.error({ err: error }, 'start-up failed; stopping what had started');
    await stopAll(1);
  }
}

function printBanner(
  config: Config,
  started: { ports: PlatformPorts; apiUrl: string; webUrl?: string; embedded: boolean; withPortal: boolean; demoSignIns: DemoSignIn[] },
): void {
  const { ports, apiUrl } = started;
  const lines = [
    '',
    'Bone-scan decision support is running — research demo, not for clinical decisions',
    ...(started.withPortal ? [`  Portal        ${started.webUrl}`] : []),
    `  GraphQL API   ${apiUrl}/graphql (ready at ${apiUrl}/readyz)`,
    `  DICOMweb      ${apiUrl}/dicomweb`,
    `  DICOM C-STORE AE title ${config.DICOM_AE_TITLE}, port ${ports.dicom}`,
    `  Database      ${started.embedded ? `embedded PostgreSQL on port ${ports.postgres}, data in ${path.resolve(config.DATA_DIR, 'postgres')}` : 'DATABASE_URL'}`,
    `  Inference     ${ports.workers.length} worker(s), ready at ${ports.workers.map((port) => `http://${loopback(config.INFERENCE_HOST)}:${port}/readyz`).join(', ') || '—'}`,
    `  Supervisor    process ${process.pid} restarts any part that dies; Ctrl-C (or kill ${process.pid}) stops them all`,
    ...(config.DEMO_DATA ? demoSignInLines(started.demoSignIns) : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

runCommand(main);
