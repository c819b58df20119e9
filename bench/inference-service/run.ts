/**
 * Throughput of the inference service end to end on this machine: scans queued in PostgreSQL → worker
 * processes (real main.ts) → prediction, Grad-CAM, hotspots, heat map blob and result stored. Four set-ups,
 * each against the first (1 worker, batching off) as baseline in the same run:
 *   1 worker × batch 1, 1 worker × batch N, 2 workers × batch 1, 2 workers × batch N,
 * for two case mixes that bound any real one: every call positive (each scan gets its Grad-CAM; the model's
 * threshold set to 0) and every call negative (prediction only; threshold 1).
 * Then the full VGG16 forward pass, ms per scan, in this process on the same backend.
 *
 *   nice -n 10 node -r @swc-node/register bench/inference-service/run.ts [--scans 24] [--batch 4] [--arch vgg16-compact] [--repeats 3] [--forward-only]
 *
 * Uses DATABASE_URL's server when set (a scratch database is created and dropped), else a throw-away embedded
 * PostgreSQL.
 * Weights are random: speed does not depend on their values. No GPU here: CPU (tfjs WASM) figures only.
 */
import * as os from 'node:os';
import { BlobStore } from '@bonescan/blobstore';
import { openDatabase, startEmbeddedPostgres } from '@bonescan/db';
import { adminQuery, setTestModelVersionThreshold, withDatabase } from '@bonescan/db/testing';
import { buildClassifier, selectBackend, wrapModel, type Architecture, type ModelCard } from '@bonescan/inference';
import { loadConfig, predictionQueuePolicy } from '@bonescan/config';
import { enqueuePrediction, startQueue } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { registerModelFolder } from '../../services/inference/src/worker/model-registry';
import { createQueuedScans, removeTemporaryDirs, temporaryDir, writeUntrainedModelVersion } from '../../services/inference/src/worker/testing/fixtures';
import { spawnWorker, waitFor, type WorkerProcess } from '../../services/inference/src/worker/testing/worker-process';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}
function positive(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const SCANS = positive('scans', 24);
const BATCH = positive('batch', 4);
const REPEATS = positive('repeats', 3);
const ARCH = option('arch', 'vgg16-compact') as Architecture;
/** --forward-only: just the full VGG16 forward figure. */
const SKIP_SERVICE = process.argv.includes('--forward-only');

const liveWorkers = new Set<WorkerProcess>();

interface SetUp {
  workers: number;
  batch: number;
}

/** CPU seconds a worker process has used so far, from its own Prometheus metrics. */
async function workerCpuSeconds(port: number): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = /^bonescan_inference_process_cpu_seconds_total (\S+)$/m.exec(metrics);
  if (!match) throw new Error('worker /metrics has no process_cpu_seconds_total');
  return Number(match[1]);
}

interface Measurement {
  /** Wall-clock seconds from enqueueing `SCANS` scans (in one transaction) to the last result stored, workers warm. */
  seconds: number;
  /** CPU seconds the worker processes spent, all together: what a scan costs whatever else runs on the machine. */
  cpuSeconds: number;
}

async function measure(setUp: SetUp, dataSource: DataSource, url: string, blobs: BlobStore): Promise<Measurement> {
  const boss = await startQueue(url, predictionQueuePolicy(loadConfig()));
  const ids = await createQueuedScans(dataSource, blobs, boss, SCANS, { queue: false });
  const workers = Array.from({ length: setUp.workers }, () =>
    spawnWorker({
      DATABASE_URL: url,
      BLOB_DIR: blobs.root,
      INFERENCE_BACKEND: 'wasm',
      INFERENCE_BATCH_SIZE: String(setUp.batch),
      INFERENCE_POLL_SECONDS: '0.1',
    }),
  );
  workers.forEach((w) => liveWorkers.add(w));
  const ports = await Promise.all(workers.map((w) => w.ready));
  const cpuBefore = await Promise.all(ports.map(workerCpuSeconds));
  const started = performance.now();
  await dataSource.transaction(async (manager) => {
    for (const scanId of ids) await enqueuePrediction(boss, manager, { scanId });
  });
  let last = -1;
  await waitFor(
    `${SCANS} scans predicted`,
    async () => {
      const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM scans WHERE id = ANY($1) AND status = 'PREDICTED'`, [ids]);
      if (n !== last) {
        last = n;
        const elapsed = (performance.now() - started) / 1000;
        const eta = n > 0 ? ((SCANS - n) * elapsed) / n : NaN;
        process.stderr.write(
          `\r  ${setUp.workers} worker(s), batch ${setUp.batch}: ${n}/${SCANS} scans, ${elapsed.toFixed(0)} s, ETA ${Number.isNaN(eta) ? '?' : eta.toFixed(0)} s   `,
        );
      }
      return n === SCANS ? true : undefined;
    },
    60 * 60_000,
    100,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await Promise.all(ports.map(workerCpuSeconds));
  const cpuSeconds = cpuAfter.reduce((sum, after, i) => sum + after - cpuBefore[i], 0);
  process.stderr.write('\n');
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  workers.forEach((w) => liveWorkers.delete(w));
  await boss.stop({ graceful: false, wait: true });
  return { seconds, cpuSeconds };
}

/** Median wall-clock and CPU ms of a full-width VGG16 forward pass on one scan, in this process. */
async function fullVgg16Forward(): Promise<{ wallMs: number; cpuMs: number }> {
  const backend = await selectBackend('wasm');
  const model = wrapModel(buildClassifier('vgg16', 1), { threshold: 0.5 } as ModelCard, backend);
  const input = new Float32Array(512 * 512 * 3).map((_, i) => ((i * 2654435761) % 1000) / 1000);
  await model.predict([input]);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await model.predict([input]);
    const used = process.cpuUsage(cpuStarted);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
    process.stderr.write(`\r  full VGG16 forward ${i + 1}/${REPEATS}`);
  }
  process.stderr.write('\n');
  model.dispose();
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

async function main(): Promise<void> {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: temporaryDir('bench-pg') });
  // Interrupted: take the worker processes and the throw-away PostgreSQL down with the benchmark.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const worker of liveWorkers) worker.child.kill('SIGKILL');
      void (embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
    });
  }
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const database = `bonescan_bench_${process.pid}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${database}`);
  const url = withDatabase(serverUrl, database);
  const dataSource = await openDatabase({ url });
  try {
    const blobs = new BlobStore(temporaryDir('bench-blobs'));
    const modelDir = await writeUntrainedModelVersion(temporaryDir('bench-model'), { architecture: ARCH });
    const { version } = await registerModelFolder(dataSource, modelDir, { activateIfNoneActive: true });
    console.log(
      `inference service, end to end: ${SCANS} scans per run, ${ARCH}, tfjs wasm; ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}; no GPU; load average at start ${os.loadavg()[0].toFixed(1)} (a shared machine: other work slows every figure)`,
    );
    const setUps: SetUp[] = [
      { workers: 1, batch: 1 },
      { workers: 1, batch: BATCH },
      { workers: 2, batch: 1 },
      { workers: 2, batch: BATCH },
    ];
    for (const mix of SKIP_SERVICE
      ? []
      : [
          { name: 'every call positive (Grad-CAM on each scan)', threshold: 0 },
          { name: 'every call negative (prediction only)', threshold: 1 },
        ]) {
      await setTestModelVersionThreshold(dataSource, version.id, mix.threshold);
      console.log(mix.name);
      let baseline = 0;
      for (const setUp of setUps) {
        const { seconds, cpuSeconds } = await measure(setUp, dataSource, url, blobs);
        const perHour = (SCANS / seconds) * 3600;
        baseline ||= perHour;
        const cpuMsPerScan = (cpuSeconds * 1000) / SCANS;
        // On an otherwise idle machine each worker has a core of its own (up to the core count).
        const idlePerHour = (3_600_000 * Math.min(setUp.workers, os.cpus().length)) / cpuMsPerScan;
        console.log(
          `  ${setUp.workers} worker(s), batch ${String(setUp.batch).padEnd(2)}: ${perHour.toFixed(0).padStart(6)} scans/hour (${((seconds * 1000) / SCANS).toFixed(0)} ms/scan)  x${(perHour / baseline).toFixed(2)} vs 1 worker unbatched;` +
            ` worker CPU ${cpuMsPerScan.toFixed(0)} ms/scan -> ${idlePerHour.toFixed(0)} scans/hour on an idle machine`,
        );
      }
    }
    const forward = await fullVgg16Forward();
    console.log(
      `full VGG16 (14,978,370 parameters) forward, 1 scan, tfjs wasm, one process: ${forward.wallMs.toFixed(0)} ms/scan wall-clock, ${forward.cpuMs.toFixed(0)} ms CPU` +
        ` -> ${(3_600_000 / forward.cpuMs).toFixed(0)} scans/hour per core on an idle machine; load average now ${os.loadavg()[0].toFixed(1)}`,
    );
  } finally {
    await dataSource.destroy();
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await embedded?.stop();
    removeTemporaryDirs();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
