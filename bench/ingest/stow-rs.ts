/**
 * bench/ingest/stow-rs: whole-body scans per second through STOW-RS end to end (HTTP, parse, decode, blob
 * store, one transaction with the queued job), beside the bare readBoneScan rate of the same files in the
 * same run as the baseline. Target: ≥ 50 scans/s. The STOW-RS client runs in its own process so that it
 * does not share the API's event loop.
 *   node -r @swc-node/register bench/ingest/stow-rs.ts [--scans 300] [--concurrency 4]
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@bonescan/config';
import { openDatabase, startEmbeddedPostgres, User } from '@bonescan/db';
import { readBoneScan } from '@bonescan/dicom';
import { createLogger } from '@bonescan/logger';
import { ApiTokensService } from '../../services/api/src/api-tokens/api-tokens.service';
import { buildApp } from '../../services/api/src/app';
import { startIngest } from '../../services/api/src/ingest/start-ingest';
import { phantomScanFiles } from '../../services/api/src/ingest/testing/bone-scan-files';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TARGET_SCANS_PER_SECOND = 50;
const BOUNDARY = 'bench-stow-boundary';

function progress(label: string, done: number, total: number, started: number): void {
  if (done % 25 !== 0 && done !== total) return;
  const seconds = (Date.now() - started) / 1000;
  const eta = done > 0 ? ((seconds / done) * (total - done)).toFixed(0) : '?';
  process.stderr.write(`${label}: ${done}/${total} (${(done / seconds).toFixed(1)}/s, ETA ${eta}s)\n`);
}

function stowBody(file: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(file), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

async function main(): Promise<void> {
  const count = argument('scans', 300);
  const concurrency = argument('concurrency', 4);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
  fs.chmodSync(dataDir, 0o755); // as root, the embedded server runs as the postgres user, who must reach its folder
  const database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') });
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url, DATA_DIR: dataDir, API_PORT: '0', LOG_LEVEL: 'silent', PAIRING_WAIT_SECONDS: '600' });
  const dataSource = await openDatabase({ url: database.url, poolSize: 16 });
  const logger = createLogger('bench', 'silent');
  const ingest = await startIngest({ config, dataSource, logger });
  const app = await buildApp({ config, dataSource, logger, ingest: ingest.service });
  try {
    process.stderr.write(`writing ${count} phantom scans (256 × 1024, AP + PA multi-frame, explicit VR LE)…\n`);
    const files = Array.from({ length: count }, (_, i) => phantomScanFiles({ seed: 10_000 + i, width: 256, height: 1024 }).files[0]);

    const started = Date.now();
    files.forEach((file, i) => {
      readBoneScan(file);
      progress('parse + decode', i + 1, count, started);
    });
    const parseRate = count / ((Date.now() - started) / 1000);

    const user = await dataSource.getRepository(User).save({ email: `bench-${Date.now()}@hospital.test`, name: 'Bench Integrator', role: 'INTEGRATOR', passwordHash: null, active: true });
    const { secret } = await new ApiTokensService(dataSource).create({ userId: user.id, role: 'INTEGRATOR' }, { name: 'bench', scopes: ['scans:write'], expiresInDays: 1 });
    const folder = path.join(dataDir, 'scans');
    fs.mkdirSync(folder);
    files.forEach((file, i) => fs.writeFileSync(path.join(folder, `${i}.dcm`), file));
    const client = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', __filename, '--client', app.url, secret, folder, String(concurrency)], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    });
    process.stderr.write(client.stderr);
    const { seconds } = JSON.parse(client.stdout) as { seconds: number };
    const stowRate = count / seconds;
    const [{ queued }] = await dataSource.query(`SELECT count(*)::int AS queued FROM scans WHERE status = 'QUEUED'`);
    if (queued !== count) throw new Error(`expected ${count} queued scans, found ${queued}`);

    console.log(`bench/ingest STOW-RS end to end, ${count} scans of 256×1024 AP+PA, ${concurrency} concurrent clients, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
    console.log(`  baseline readBoneScan (parse + decode only): ${parseRate.toFixed(1)} scans/s`);
    console.log(`  STOW-RS (HTTP + ingest + blobs + transaction + job): ${stowRate.toFixed(1)} scans/s`);
    console.log(`  ratio STOW-RS / parse: ${(stowRate / parseRate).toFixed(2)}`);
    console.log(`  target ≥ ${TARGET_SCANS_PER_SECOND} scans/s: ${stowRate >= TARGET_SCANS_PER_SECOND ? 'met' : 'NOT met'}`);
  } finally {
    await app.shutdown();
    await ingest.stop();
    await dataSource.destroy();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The STOW-RS client: sends every file of a folder, one scan per request, from `concurrency` connections. */
async function sendAll(url: string, token: string, folder: string, concurrency: number): Promise<void> {
  const files = fs.readdirSync(folder).map((name) => fs.readFileSync(path.join(folder, name)));
  let next = 0;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < files.length) {
        const response = await fetch(`${url}/dicomweb/studies`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/related; type="application/dicom"; boundary=${BOUNDARY}` },
          body: stowBody(files[next++]) as Uint8Array<ArrayBuffer>,
        });
        if (response.status !== 200) throw new Error(`STOW-RS answered ${response.status}: ${await response.text()}`);
        progress('STOW-RS', ++done, files.length, started);
      }
    }),
  );
  process.stdout.write(JSON.stringify({ seconds: (Date.now() - started) / 1000 }));
}

const clientAt = process.argv.indexOf('--client');
(clientAt > 0 ? sendAll(process.argv[clientAt + 1], process.argv[clientAt + 2], process.argv[clientAt + 3], Number(process.argv[clientAt + 4])) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
