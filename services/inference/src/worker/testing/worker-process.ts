/** Runs real worker processes (main.ts) for the end-to-end tests and the benchmark. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const MAIN = path.resolve(__dirname, '..', 'main.ts');
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the HTTP port once the worker logged "worker ready"; rejects if it exits first. */
  ready: Promise<number>;
  /** Exit code (null when killed by a signal) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote: its log lines (pino JSON) and, when it refuses to start, why. */
  stderr(): string;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', INFERENCE_PORT: '0', ...env },
    // A worker prints nothing on stdout; its logs and its refusals are on stderr.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  let partLine = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      partLine += chunk.toString();
      for (const line of partLine.split('\n')) {
        if (line.includes('"worker ready"')) resolve(JSON.parse(line).httpPort);
      }
      partLine = partLine.slice(partLine.lastIndexOf('\n') + 1);
    });
    void exited.then(({ code, signal }) => reject(new Error(`worker exited (code ${code}, signal ${signal}) before it was ready: ${err}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited, stderr: () => err };
}

/** Polls until `check` returns a value other than undefined; `what` names it in the error if it never does. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 5 * 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Runs the register-model command line to completion. */
export function runRegisterModel(folder: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.resolve(__dirname, '..', '..', 'cli', 'register-model.ts'), folder], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
