/**
 * bench/soak: the platform as `npm start` runs it (supervisor, embedded PostgreSQL, the API, one inference worker;
 * loopback only) under mixed traffic from 32 connections — worklist pages, scan details, reviews and STOW-RS of new
 * scans — with the worker and then PostgreSQL killed with -9 in the middle. Prints, from its own measurements and
 * the database: errors per 10 s with the outage window marked, the /readyz timeline, the API's RSS after warm-up
 * and at the end, and predictions lost or duplicated (every stored scan must end with exactly one per model version).
 *   node -r @swc-node/register bench/soak/run.ts [--minutes 10] [--connections 32] [--stow-per-second 0.5]
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDataSource, User } from '@bonescan/db';
import type { DataSource } from 'typeorm';
import { listenerOf } from '../../scripts/supervisor/ports';
import { ApiTokensService } from '../../services/api/src/api-tokens/api-tokens.service';
import { issuePortalSession } from '../../services/api/src/auth/portal-session';
import { phantomScanFiles } from '../../services/api/src/ingest/testing/bone-scan-files';
import { freePlatformPorts, platformDataDir, startPlatform, statusOf, type Platform } from '../../test/supervision/platform';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const BUCKET_MS = 10_000;
/** A /readyz probe unanswered within this long counts as "no answer" (a process that is busy, or gone). */
const PROBE_TIMEOUT_MS = 5000;
const BOUNDARY = 'soak-stow-boundary';
/** After the load, the worker gets this long to predict what is still queued before the count. */
const DRAIN_LIMIT_MS = 5 * 60_000;
const WORKLIST = `query { worklist(first: 20) { edges { node { id status aiProbability prediction { probability label } } } } }`;
const SCAN = `query ($id: ID!) { scan(id: $id) { id status patient { patientId } views { view width height } prediction { probability label hotspots { view region } } reviews { verdict } } }`;
const REVIEW = `mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }`;

type Operation = 'worklist' | 'scan' | 'review' | 'stow';
interface Bucket {
  ok: number;
  errors: number;
  byOperation: Record<Operation, number>;
}
interface Sample {
  at: number;
  apiReady: number;
  workerReady: number;
  apiRssMb: number | null;
}

const rssMb = (pid: number | null): number | null => {
  if (pid === null) return null;
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : null;
  } catch {
    return null;
  }
};

function stowBody(file: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`), Buffer.from(file), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

class Traffic {
  readonly buckets = new Map<number, Bucket>();
  /** When each failed request was sent and when it failed: one in flight at any moment of the outage is the outage's. */
  readonly failures: { sentAt: number; failedAt: number }[] = [];
  /** The first error of each kind of request, to tell timeouts from refusals in the report. */
  readonly firstErrors = new Map<Operation, string>();
  readonly scanIds: string[] = [];
  stowed = 0;
  private stowSeed = 0;
  private stowBudget = 0;

  constructor(
    private readonly platform: Platform,
    private readonly tokens: { clinician: string; integrator: string },
    private readonly startedAt: number,
    private readonly stowPerSecond: number,
  ) {}

  /** Counted in the window the request was sent in: one sent during the outage that times out after it is an outage error. */
  private record(operation: Operation, ok: boolean, sentAt: number): void {
    const index = Math.floor((sentAt - this.startedAt) / BUCKET_MS);
    const bucket = this.buckets.get(index) ?? { ok: 0, errors: 0, byOperation: { worklist: 0, scan: 0, review: 0, stow: 0 } };
    if (ok) bucket.ok += 1;
    else bucket.errors += 1;
    bucket.byOperation[operation] += ok ? 0 : 1;
    this.buckets.set(index, bucket);
  }

  /** STOW at the configured rate (the budget grows with time), reads and reviews otherwise. */
  private pick(): Operation {
    const allowed = ((Date.now() - this.startedAt) / 1000) * this.stowPerSecond;
    if (this.stowBudget < allowed) {
      this.stowBudget += 1;
      return 'stow';
    }
    const roll = Math.random();
    if (this.scanIds.length === 0 || roll < 0.5) return 'worklist';
    return roll < 0.85 ? 'scan' : 'review';
  }

  private async graphql(query: string, variables: Record<string, unknown>): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
    const response = await fetch(`${this.platform.apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.tokens.clinician}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (!response.ok || body.errors) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? '').slice(0, 200)}`);
    return body;
  }

  private async run(operation: Operation): Promise<void> {
    const someScan = () => this.scanIds[Math.floor(Math.random() * this.scanIds.length)];
    if (operation === 'worklist') {
      const { data } = await this.graphql(WORKLIST, {});
      const edges = (data!.worklist as { edges: { node: { id: string } }[] }).edges;
      for (const edge of edges) if (!this.scanIds.includes(edge.node.id)) this.scanIds.push(edge.node.id);
    } else if (operation === 'scan') {
      await this.graphql(SCAN, { id: someScan() });
    } else if (operation === 'review') {
      const input = { scanId: someScan(), verdict: 'NO_MBD', confidence: 3, aiVisible: true, timeSpentMs: 20_000, submissionKey: randomUUID() };
      await this.graphql(REVIEW, { input });
    } else {
      const { files } = phantomScanFiles({ seed: 500_000 + this.stowSeed++, width: 128, height: 512 });
      const response = await fetch(`${this.platform.apiUrl}/dicomweb/studies`, {
        method: 'POST',
        headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`, authorization: `Bearer ${this.tokens.integrator}` },
        body: Uint8Array.from(stowBody(files[0])),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`STOW ${response.status}`);
      this.stowed += 1;
    }
  }

  async connection(endAt: number): Promise<void> {
    while (Date.now() < endAt) {
      const operation = this.pick();
      const sentAt = Date.now();
      try {
        await this.run(operation);
        this.record(operation, true, sentAt);
      } catch (error) {
        this.record(operation, false, sentAt);
        this.failures.push({ sentAt, failedAt: Date.now() });
        if (!this.firstErrors.has(operation))
          this.firstErrors.set(operation, `${((Date.now() - this.startedAt) / 1000).toFixed(0)} s: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200)); // a refused connection must not spin
      }
    }
  }
}

async function sampleEvery(platform: Platform, endAt: number, samples: Sample[]): Promise<void> {
  while (Date.now() < endAt) {
    const [apiReady, workerReady] = await Promise.all([
      statusOf(`${platform.apiUrl}/readyz`, PROBE_TIMEOUT_MS),
      statusOf(`${platform.workerUrl}/readyz`, PROBE_TIMEOUT_MS),
    ]);
    samples.push({ at: Date.now(), apiReady, workerReady, apiRssMb: rssMb(listenerOf(platform.ports.api)) });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const postmasterOf = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

async function credentials(dataSource: DataSource, secret: string): Promise<{ clinician: string; integrator: string }> {
  const users = dataSource.getRepository(User);
  const reader = await users.save({
    email: `soak-reader-${Date.now()}@hospital.test`,
    name: 'Soak Reader',
    role: 'CLINICIAN',
    passwordHash: null,
    active: true,
  });
  const integrator = await users.save({
    email: `soak-pacs-${Date.now()}@hospital.test`,
    name: 'Soak PACS',
    role: 'INTEGRATOR',
    passwordHash: null,
    active: true,
  });
  const { secret: integratorToken } = await new ApiTokensService(dataSource).create(
    { userId: integrator.id, role: 'INTEGRATOR' },
    { name: 'soak', scopes: ['scans:write', 'scans:read'], expiresInDays: 1 },
  );
  return { clinician: await issuePortalSession(reader.id, secret), integrator: integratorToken };
}

/** Every stored scan against every model version: how many predictions each pair has. */
async function countPredictions(dataSource: DataSource): Promise<{ scans: number; versions: number; exactlyOne: number; lost: number; duplicated: number }> {
  const [row] = await dataSource.query(`
    SELECT (SELECT count(*) FROM scans)::int AS scans,
           (SELECT count(*) FROM model_versions WHERE status IN ('ACTIVE', 'SHADOW'))::int AS versions,
           count(*) FILTER (WHERE n = 1)::int AS "exactlyOne",
           count(*) FILTER (WHERE n = 0)::int AS lost,
           count(*) FILTER (WHERE n > 1)::int AS duplicated
    FROM (SELECT s.id, v.id, (SELECT count(*) FROM predictions p WHERE p.scan_id = s.id AND p.model_version_id = v.id) AS n
          FROM scans s CROSS JOIN model_versions v WHERE v.status IN ('ACTIVE', 'SHADOW')) pairs`);
  return row;
}

function printReport(report: {
  minutes: number;
  connections: number;
  startedAt: number;
  outage: { workerKilledAt: number; postgresKilledAt: number; apiReadyAgainAt: number | null };
  buckets: Map<number, Bucket>;
  firstErrors: Map<Operation, string>;
  failures: { sentAt: number; failedAt: number }[];
  samples: Sample[];
  stowed: number;
  predictions: Awaited<ReturnType<typeof countPredictions>>;
  drainSeconds: number;
}): void {
  const { startedAt, outage, samples } = report;
  const t = (at: number) => ((at - startedAt) / 1000).toFixed(1);
  const outageEnd = outage.apiReadyAgainAt ?? Infinity;
  const inOutage = (index: number) => index * BUCKET_MS + startedAt < outageEnd && (index + 1) * BUCKET_MS + startedAt > outage.postgresKilledAt;
  console.log(`bench/soak — ${report.minutes} min, ${report.connections} connections, npm start (supervisor, embedded PostgreSQL, API, 1 worker) on loopback`);
  console.log(
    `worker kill -9 at ${t(outage.workerKilledAt)} s; PostgreSQL kill -9 at ${t(outage.postgresKilledAt)} s; API ready again at ${outage.apiReadyAgainAt ? `${t(outage.apiReadyAgainAt)} s` : 'never'}`,
  );
  console.log('\n  window (s)     ok  errors  (worklist scan review stow)');
  for (const [index, bucket] of [...report.buckets.entries()].sort((a, b) => a[0] - b[0])) {
    const marked = inOutage(index);
    const { worklist, scan, review, stow } = bucket.byOperation;
    const range = `${index * 10}-${index * 10 + 10}`.padStart(9);
    const errorDetail = bucket.errors ? `  (${worklist} ${scan} ${review} ${stow})` : '';
    console.log(`  ${range}  ${String(bucket.ok).padStart(6)}  ${String(bucket.errors).padStart(6)}${errorDetail}${marked ? '   ← outage window' : ''}`);
  }
  const outside = report.failures.filter((f) => f.failedAt < outage.postgresKilledAt || f.sentAt > outageEnd);
  console.log(`errors: ${report.failures.length}, of which outside the outage (neither sent during it nor in flight when it began): ${outside.length}`);
  for (const [operation, message] of report.firstErrors) console.log(`  first ${operation} error at ${message.slice(0, 160)}`);

  console.log(`\n/readyz timeline (API, worker; "no answer" = none within ${PROBE_TIMEOUT_MS / 1000} s), changes only:`);
  let last = '';
  for (const sample of samples) {
    const state = `API ${sample.apiReady || 'no answer'}, worker ${sample.workerReady || 'no answer'}`;
    if (state !== last) console.log(`  ${t(sample.at).padStart(7)} s  ${state}`);
    last = state;
  }
  const warm = samples.filter((s) => s.apiRssMb !== null && s.at - startedAt >= report.minutes * 60_000 * 0.2);
  const [first, end] = [warm[0]?.apiRssMb, warm.at(-1)?.apiRssMb];
  if (first && end) {
    console.log(`\nAPI RSS after warm-up (20 %) ${first.toFixed(0)} MB, at the end ${end.toFixed(0)} MB, ratio ${(end / first).toFixed(2)}`);
    const at = (share: number) => warm.find((s) => s.at - startedAt >= report.minutes * 60_000 * share)?.apiRssMb?.toFixed(0) ?? '?';
    const rates = [...report.buckets.values()].map((b) => b.ok + b.errors);
    const half = Math.floor(rates.length / 2);
    const mean = (values: number[]) => (values.reduce((a, b) => a + b, 0) / Math.max(1, values.length) / (BUCKET_MS / 1000)).toFixed(0);
    console.log(
      `  RSS at 40 / 60 / 80 % of the run: ${at(0.4)} / ${at(0.6)} / ${at(0.8)} MB; requests/s first half ${mean(rates.slice(0, half))}, second half ${mean(rates.slice(half))}`,
    );
  }
  const p = report.predictions;
  console.log(
    `\nscans STOWed (200 answers) ${report.stowed}; scans stored ${p.scans}; model versions ${p.versions}; queue drained ${report.drainSeconds.toFixed(0)} s after the load`,
  );
  console.log(`predictions per scan and version: exactly one ${p.exactlyOne}, lost ${p.lost}, duplicated ${p.duplicated}`);
}

async function main(): Promise<void> {
  const minutes = argument('minutes', 10);
  const connections = argument('connections', 32);
  const stowPerSecond = argument('stow-per-second', 0.5);
  const secret = randomBytes(32).toString('base64url');
  const dataDir = platformDataDir();
  const platform = startPlatform({ dataDir, ports: await freePlatformPorts(), env: { AUTH_SECRET: secret, LOG_LEVEL: 'warn' } });
  try {
    process.stderr.write('starting the platform (npm start)…\n');
    await platform.running;
    const dataSource = createDataSource({ url: platform.databaseUrl(), poolSize: 2 });
    await dataSource.initialize();
    const tokens = await credentials(dataSource, secret);
    const startedAt = Date.now();
    const endAt = startedAt + minutes * 60_000;
    const traffic = new Traffic(platform, tokens, startedAt, stowPerSecond);
    const samples: Sample[] = [];
    const outage = { workerKilledAt: 0, postgresKilledAt: 0, apiReadyAgainAt: null as number | null };
    const kills = (async () => {
      await new Promise((resolve) => setTimeout(resolve, minutes * 60_000 * 0.45));
      outage.workerKilledAt = Date.now();
      process.kill(listenerOf(platform.ports.worker)!, 'SIGKILL');
      process.stderr.write(`killed the worker at ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
      await new Promise((resolve) => setTimeout(resolve, minutes * 60_000 * 0.05));
      outage.postgresKilledAt = Date.now();
      process.kill(postmasterOf(dataDir), 'SIGKILL');
      process.stderr.write(`killed PostgreSQL at ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
      while (Date.now() < endAt && outage.apiReadyAgainAt === null) {
        if ((await statusOf(`${platform.apiUrl}/readyz`)) === 200) outage.apiReadyAgainAt = Date.now();
        else await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const progress = setInterval(
      () => process.stderr.write(`soak: ${((Date.now() - startedAt) / 60_000).toFixed(1)}/${minutes} min, ${traffic.stowed} scans STOWed\n`),
      30_000,
    );
    await Promise.all([...Array.from({ length: connections }, () => traffic.connection(endAt)), sampleEvery(platform, endAt, samples), kills]);
    clearInterval(progress);

    process.stderr.write('load over; waiting for the worker to predict what is queued…\n');
    const drainStart = Date.now();
    let predictions = await countPredictions(dataSource);
    while (predictions.lost > 0 && Date.now() - drainStart < DRAIN_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      predictions = await countPredictions(dataSource);
    }
    printReport({
      minutes,
      connections,
      startedAt,
      outage,
      buckets: traffic.buckets,
      firstErrors: traffic.firstErrors,
      failures: traffic.failures,
      samples,
      stowed: traffic.stowed,
      predictions,
      drainSeconds: (Date.now() - drainStart) / 1000,
    });
    await dataSource.destroy();
  } finally {
    await platform.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
