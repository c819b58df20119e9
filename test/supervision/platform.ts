/**
 * `npm start` run for real in a temporary data folder, without the portal: embedded PostgreSQL, the API and the
 * inference worker(s) under the supervisor, on free ports. For the supervision tests and the soak bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@bonescan/db';

const ROOT = path.resolve(__dirname, '../..');

export interface PlatformPorts {
  api: number;
  dicom: number;
  worker: number;
  postgres: number;
}

export interface Platform {
  supervisor: ChildProcess;
  dataDir: string;
  ports: PlatformPorts;
  apiUrl: string;
  workerUrl: string;
  /** The platform's database, with the password the embedded server was given (read from its data folder). */
  databaseUrl(): string;
  /** Everything the supervisor and its parts printed so far. */
  output(): string;
  /** Resolves once the banner says the platform runs; rejects with the output when the supervisor exits first. */
  running: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ctrl-C as a terminal sends it, and waits for the supervisor to exit. */
  stop(): Promise<void>;
  /** The same outcome, but a failure carries the last lines the platform printed: what it was doing then. */
  explained<T>(work: Promise<T>): Promise<T>;
}

/** A data folder the postgres system user can reach (as root the embedded server runs as that user). */
export function platformDataDir(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-supervision-'));
  fs.chmodSync(dataDir, 0o755);
  return dataDir;
}

export async function freePlatformPorts(): Promise<PlatformPorts> {
  return { api: await freePort(), dicom: await freePort(), worker: await freePort(), postgres: await freePort() };
}

export function startPlatform(options: { dataDir: string; ports: PlatformPorts; env?: Record<string, string> }): Platform {
  const { dataDir, ports } = options;
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const supervisor = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/start.ts', '--without-portal'], {
    cwd: ROOT,
    env: {
      ...inherited,
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      API_PORT: String(ports.api),
      API_URL: `http://127.0.0.1:${ports.api}`,
      DICOM_PORT: String(ports.dicom),
      INFERENCE_PORT: String(ports.worker),
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
      INFERENCE_WORKERS: '1',
      // WebAssembly: the fastest backend every machine has (the pure-JS one is many times slower).
      INFERENCE_BACKEND: 'wasm',
      INFERENCE_RETRY_DELAY_SECONDS: '1',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    supervisor.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = new Promise<void>((resolve, reject) => {
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running')) resolve();
    };
    supervisor.stdout!.on('data', listen);
    supervisor.stderr!.on('data', listen);
    void exited.then(({ code, signal }) => reject(new Error(`npm start exited (code ${code}, signal ${signal}) before it ran:\n${output.slice(-4000)}`)));
  });
  running.catch(() => undefined);
  return {
    supervisor,
    dataDir,
    ports,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    workerUrl: `http://127.0.0.1:${ports.worker}`,
    databaseUrl: () => {
      const password = fs.readFileSync(path.join(dataDir, 'postgres', 'bonescan-password'), 'utf8').trim();
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${ports.postgres}/bonescan`;
    },
    output: () => output,
    running,
    exited,
    stop: async () => {
      if (supervisor.exitCode === null && supervisor.signalCode === null) supervisor.kill('SIGINT');
      await exited;
    },
    explained: (work) =>
      work.catch((error: Error) => {
        throw new Error(`${error.message}\n--- npm start printed, last lines:\n${output.slice(-5000)}`);
      }),
  };
}

/** The HTTP status at `url`, or 0 when nothing answers. */
export async function statusOf(url: string, timeoutMs = 3000): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })).status;
  } catch {
    return 0;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
