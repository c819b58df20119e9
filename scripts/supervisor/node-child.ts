/** A Node process of the platform (API, worker, portal) run as a supervised part: started, awaited until it answers, stopped. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningPart } from './supervised';

const EXIT_WITH_SUPERVISOR = path.join(__dirname, 'exit-with-supervisor.js');
/** A clean stop (a worker finishing its batch, the API draining requests) gets this long before SIGKILL. */
const STOP_GRACE_MS = 30_000;

export interface NodeChild {
  name: string;
  /** Node arguments after the preload: e.g. ['-r', '@swc-node/register', 'services/api/src/main.ts']. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Answers (any HTTP status) once the part listens: only then is it running. */
  readyUrl: string;
  readyTimeoutMs: number;
}

/** Starts the child and resolves once it answers at readyUrl; rejects with how it ended if it ends first. */
export async function launchNodeChild(child: NodeChild): Promise<RunningPart> {
  const process_ = spawn(process.execPath, ['-r', EXIT_WITH_SUPERVISOR, ...child.args], {
    cwd: child.cwd,
    env: child.env,
    // Same process group as `npm start`: one Ctrl-C or `kill -- -<group>` reaches every part.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  process_.on('message', () => undefined); // children may announce themselves (Next.js does); nothing to do
  const exited = new Promise<string>((resolve) => {
    process_.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  const stop = async () => {
    if (process_.exitCode !== null || process_.signalCode !== null) return;
    process_.kill('SIGTERM');
    const killer = setTimeout(() => process_.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(killer);
  };
  let ended: string | undefined;
  void exited.then((how) => (ended = how));
  const deadline = Date.now() + child.readyTimeoutMs;
  while (!(await answers(child.readyUrl))) {
    if (ended) throw new Error(`${child.name} ended before it was ready (${ended})`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${child.name} did not answer at ${child.readyUrl} within ${child.readyTimeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (ended) throw new Error(`${child.name} ended before it was ready (${ended})`);
  return { exited, stop };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
    return true;
  } catch {
    return false;
  }
}
