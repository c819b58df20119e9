/**
 * bench/ingest/stow-rs: whole-body scans per second through STOW-RS end to end (HTTP, parse, decode, blob
 * store, one transaction with the queued job), beside the bare readBoneScan rate of the same files in the
 * same run as the baseline. Target: ≥ 50 scans/s. The STOW-RS client runs in its own process so that it
 * does not share the API's event loop. Beside the wall-clock rate, the CPU each process spent per scan (API
 * with its parse workers, PostgreSQL, client): on a shared two-core machine the rate moves with the load,
 * the CPU per scan does not, and cores / total CPU per scan is the rate an otherwise idle machine reaches.
 *   node -r @swc-node/register bench/ingest/stow-rs.ts [--scans 300] [--concurrency 4] [--per-request 1]
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { User } from '@bonescan/db';
import { readBoneScan } from '@bonescan/dicom';
import { createLogger } from '@bonescan/logger';
import { ApiTokensService } from '../../services/api/src/api-tokens/api-tokens.service';
import { buildApp } from '../../services/api/src/app';
import { startIngest } from '../../services/api/src/ingest/start-ingest';
import { phantomScanFiles } from '../../services/api/src/ingest/testing/bone-scan-files';
import { withBenchDatabase } from '../support/bench-database';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TARGET_SCANS_PER_SECOND = 50;
const BOUNDARY = 'bench-stow-boundary';
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ of Linux's /proc/<pid>/stat

function progress(label: string, done: number, total: number, started: number): void {
  if (done % 25 !== 0 && done !== total) return;
  const seconds = (Date.now() - started) / 1000;
  const eta = done > 0 ? ((seconds / done) * (total - done)).toFixed(0) : '?';
  process.stderr.write(`${label}: ${done}/${total} (${(done / seconds).toFixed(1)}/s, ETA ${eta}s)\n`);
}

function stowBody(files: Uint8Array[]): Buffer {
  const parts = files.flatMap((file) => [Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(file), Buffer.from('\r\n')]);
  return Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

/** CPU seconds (user + system) of this process, all threads. */
const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * CPU seconds of the embedded PostgreSQL server of a data folder: the postmaster, its live backends and those
 * that have exited. 0 for a server elsewhere (DATABASE_URL), whose CPU this machine cannot see.
 */
function postgresCpuSeconds(dataDir: string): number {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return 0;
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while the folder was read
    }
    // Fields after "(command)": state ppid … utime(14) stime(15) cutime(16) cstime(17), counted from 1 at pid.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [ppid, utime, stime, cutime, cstime] = [fields[1], fields[11], fields[12], fields[13], fields[14]].map(Number);
    if (Number(entry) === postmaster) ticks += utime + stime + cutime + cstime;
    else if (ppid === postmaster) ticks += utime + stime;
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * Writes the phantom scans the client sends and returns the bare readBoneScan rate over them. The files
 * are dropped when it returns: the API process would otherwise carry hundreds of megabytes that a real
 * API never holds, and its garbage collector would pay for them.
 */
function writePhantomScans(folder: string, count: number): number {
  process.stderr.write(`writing ${count} phantom scans (256 × 1024, AP + PA multi-frame, explicit VR LE)…\n`);
  const files = Array.from({ length: count }, (_, i) => phantomScanFiles({ seed: 10_000 + i, width: 256, height: 1024 }).files[0]);
  fs.mkdirSync(folder);
  files.forEach((file, i) => fs.writeFileSync(path.join(folder, `${String(i).padStart(6, '0')}.dcm`), file));
  const started = Date.now();
  files.forEach((file, i) => {
    readBoneScan(file);
    progress('parse + decode', i + 1, count, started);
  });
  return count / ((Date.now() - started) / 1000);
}

async function main(): Promise<void> {
  const count = argument('scans', 300);
  const concurrency = argument('concurrency', 4);
  const perRequest = argument('per-request', 1);
  await withBenchDatabase('ingest', 16, async ({ config: benchConfig, dataSource, databaseUrl, dataDir }) => {
    const config = { ...benchConfig, PAIRING_WAIT_SECONDS: 600 };
    const logger = createLogger('bench', 'silent');
    const ingest = await startIngest({ config, dataSource, logger, databaseUrl });
    const app = await buildApp({ config, dataSource, logger, ingest: ingest.service });
    try {
      const folder = path.join(dataDir, 'scans');
      const parseRate = writePhantomScans(folder, count);
      const user = await dataSource
        .getRepository(User)
        .save({ email: `bench-${Date.now()}@hospital.test`, name: 'Bench Integrator', role: 'INTEGRATOR', passwordHash: null, active: true });
      const { secret } = await new ApiTokensService(dataSource).create(
        { userId: user.id, role: 'INTEGRATOR' },
        { name: 'bench', scopes: ['scans:write'], expiresInDays: 1 },
      );
      const cpuBefore = { api: ownCpuSeconds(), postgres: postgresCpuSeconds(dataDir) };
      const client = await promisify(execFile)(
        process.execPath,
        ['-r', '@swc-node/register', __filename, '--client', app.url, secret, folder, String(concurrency), String(perRequest)],
        {
          encoding: 'utf8',
          maxBuffer: 1024 * 1024,
        },
      );
      const cpu = { api: ownCpuSeconds() - cpuBefore.api, postgres: postgresCpuSeconds(dataDir) - cpuBefore.postgres };
      process.stderr.write(client.stderr);
      const { seconds, cpuSeconds: clientCpu } = JSON.parse(client.stdout) as { seconds: number; cpuSeconds: number };
      const stowRate = count / seconds;
      const [{ queued }] = await dataSource.query(`SELECT count(*)::int AS queued FROM scans WHERE status = 'QUEUED'`);
      if (queued !== count) throw new Error(`expected ${count} queued scans, found ${queued}`);

      const msPerScan = (cpuSeconds: number) => ((cpuSeconds * 1000) / count).toFixed(1);
      const totalCpu = cpu.api + cpu.postgres + clientCpu;
      const cores = os.availableParallelism();
      console.log(
        `bench/ingest STOW-RS end to end, ${count} scans of 256×1024 AP+PA, ${concurrency} concurrent clients, ${perRequest} scan(s) per request, ${cores} cores, load average ${os.loadavg()[0].toFixed(1)}`,
      );
      console.log(`  baseline readBoneScan (parse + decode only): ${parseRate.toFixed(1)} scans/s`);
      console.log(`  STOW-RS (HTTP + ingest + blobs + transaction + job): ${stowRate.toFixed(1)} scans/s`);
      console.log(`  ratio STOW-RS / parse: ${(stowRate / parseRate).toFixed(2)}`);
      console.log(
        `  CPU ms per scan: API ${msPerScan(cpu.api)} + PostgreSQL ${msPerScan(cpu.postgres)} + client ${msPerScan(clientCpu)} = ${msPerScan(totalCpu)}`,
      );
      console.log(`  rate the CPU allows on ${cores} otherwise idle cores: ${((cores * count) / totalCpu).toFixed(1)} scans/s`);
      console.log(`  target ≥ ${TARGET_SCANS_PER_SECOND} scans/s: ${stowRate >= TARGET_SCANS_PER_SECOND ? 'met' : 'NOT met'}`);
    } finally {
      await app.shutdown();
      await ingest.stop();
    }
  });
}

/**
 * The STOW-RS client: sends every file of a folder, `perRequest` scans per request, over `concurrency`
 * kept-alive connections. node:http writes the prepared body as it is, as a PACS's native client would;
 * fetch (undici) spent more CPU per request than the API's whole filing on this two-core machine.
 */
async function sendAll(url: string, token: string, folder: string, concurrency: number, perRequest: number): Promise<void> {
  const files = fs.readdirSync(folder).map((name) => fs.readFileSync(path.join(folder, name)));
  const bodies = Array.from({ length: Math.ceil(files.length / perRequest) }, (_, i) => stowBody(files.slice(i * perRequest, (i + 1) * perRequest)));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = { authorization: `Bearer ${token}`, 'content-type': `multipart/related; type="application/dicom"; boundary=${BOUNDARY}` };
  let next = 0;
  let done = 0;
  const started = Date.now();
  const cpuBefore = ownCpuSeconds();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const answer = await post(`${url}/dicomweb/studies`, { agent, headers: { ...headers, 'content-length': body.length } }, body);
        if (answer.status !== 200) throw new Error(`STOW-RS answered ${answer.status}: ${answer.text}`);
        done = Math.min(files.length, done + perRequest);
        progress('STOW-RS', done, files.length, started);
      }
    }),
  );
  agent.destroy();
  process.stdout.write(JSON.stringify({ seconds: (Date.now() - started) / 1000, cpuSeconds: ownCpuSeconds() - cpuBefore }));
}

function post(url: string, options: http.RequestOptions, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { ...options, method: 'POST' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

const clientAt = process.argv.indexOf('--client');
const clientArguments = process.argv.slice(clientAt + 1);
(clientAt > 0 ? sendAll(clientArguments[0], clientArguments[1], clientArguments[2], Number(clientArguments[3]), Number(clientArguments[4])) : main()).catch(
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
