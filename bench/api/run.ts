/**
 * bench/api: the worklist query (20 rows with patient, views, prediction and reviews) on 100,000
 * seeded scans, 32 connections, beside `{ __typename }` in the same run as the baseline.
 * autocannon runs in its own process so it does not share the API's event loop.
 *   node -r @swc-node/register bench/api/run.ts [--scans 100000] [--seconds 10]
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { seedSyntheticScans, User } from '@bonescan/db';
import { createTestModelVersion } from '@bonescan/db/testing';
import { withBenchDatabase } from '../support/bench-database';
import { buildApp } from '../../services/api/src/app';
import { sessionSecret } from '@bonescan/config';
import { issuePortalSession } from '../../services/api/src/auth/portal-session';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const WORKLIST = `query { worklist(first: 20) { edges { cursor node {
  id status aiProbability arrivedAt site
  patient { patientId name }
  views { view width height }
  prediction { probability label hotspots { view region x y } }
  reviews { verdict confidence }
} } pageInfo { hasNextPage endCursor } } }`;

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}

/** Asynchronous on purpose: the API answers from this very process while autocannon runs. */
async function load(url: string, body: string, token: string, seconds: number): Promise<Result> {
  const { stdout } = await promisify(execFile)(
    path.resolve(__dirname, '../../node_modules/.bin/autocannon'),
    ['-c', '32', '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-H', `authorization=Bearer ${token}`, '-b', body, '-j', url],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Result;
}

async function main(): Promise<void> {
  const scans = argument('scans', 100_000);
  const seconds = argument('seconds', 10);
  await withBenchDatabase('api', 16, async ({ config, dataSource }) => {
    process.stderr.write(`seeding ${scans.toLocaleString()} scans…\n`);
    const reader = await dataSource
      .getRepository(User)
      .save({ email: `bench-${Date.now()}@hospital.test`, name: 'Bench Reader', role: 'CLINICIAN', passwordHash: null, active: true });
    const model = await createTestModelVersion(dataSource, { name: 'bench', version: String(Date.now()) });
    await seedSyntheticScans(dataSource, { count: scans, modelVersionId: model.id, readerId: reader.id });
    await dataSource.query('ANALYZE');
    const app = await buildApp({ config, dataSource });
    const token = await issuePortalSession(reader.id, sessionSecret(config));
    const url = `${app.url}/graphql`;

    process.stderr.write(`load: ${seconds}s each, 32 connections\n`);
    const baseline = await load(url, JSON.stringify({ query: '{ __typename }' }), token, seconds);
    const worklist = await load(url, JSON.stringify({ query: WORKLIST }), token, seconds);
    const row = (name: string, r: Result) =>
      `${name.padEnd(28)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   errors ${r.errors + r.non2xx}`;
    console.log(`bench/api — ${scans.toLocaleString()} scans, ${os.cpus().length} cores`);
    console.log(row('{ __typename } (baseline)', baseline));
    console.log(row('worklist 20 rows + relations', worklist));
    console.log(
      `ratio worklist/baseline: throughput ${(worklist.requests.average / baseline.requests.average).toFixed(2)}x, p99 ${(worklist.latency.p99 / Math.max(1, baseline.latency.p99)).toFixed(2)}x`,
    );
    console.log('targets: p99 <= 30 ms, >= 1,500 req/s');
    await app.shutdown();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
