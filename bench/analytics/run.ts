/**
 * bench/analytics: every analytics query on 1,000,000 seeded scans (14 months of a busy network:
 * predictions, ground truth for four in five, aided and unaided reads, a 134-case reader study read
 * by 6 readers), through the real GraphQL API, one request at a time. Baseline in the same run:
 * `SELECT count(*) FROM scans` on the same table, sent straight to PostgreSQL.
 *
 *   nice -n 10 node -r @swc-node/register bench/analytics/run.ts [--scans 1000000] [--runs 20]
 *
 * Prints p50/p95 per query and its ratio to the baseline's p50. Target: p95 <= 300 ms. Then the AI
 * arm of diagnosticPerformance with the former 10⁻⁴-grid packs beside the exact packs, on the seeded
 * scores and again once every score is distinct (./pack-forms).
 */
import 'reflect-metadata';
import os from 'node:os';
import { seedSyntheticScans, User } from '@bonescan/db';
import { createTestModelVersion } from '@bonescan/db/testing';
import { quantile } from '@bonescan/stats';
import type { DataSource } from 'typeorm';
import { withBenchDatabase } from '../support/bench-database';
import { comparePackForms, makeScoresDistinct } from './pack-forms';
import { buildApp } from '../../services/api/src/app';
import { sessionSecret } from '@bonescan/config';
import { issuePortalSession } from '../../services/api/src/auth/portal-session';

const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return value;
};

const CHUNK = 100_000;
const DAY = 86_400_000;

async function seed(dataSource: DataSource, scans: number): Promise<{ modelId: string; leadId: string }> {
  const users = dataSource.getRepository(User);
  const lead = await users.save({ email: `lead-${Date.now()}@bench.test`, name: 'Bench Lead', role: 'LEAD', passwordHash: null, active: true });
  const reader = await users.save({ email: `reader-${Date.now()}@bench.test`, name: 'Bench Reader', role: 'CLINICIAN', passwordHash: null, active: true });
  const model = await createTestModelVersion(dataSource, { name: 'bench', version: String(Date.now()) });
  const started = Date.now();
  for (let offset = 0; offset < scans; offset += CHUNK) {
    const count = Math.min(CHUNK, scans - offset);
    await seedSyntheticScans(dataSource, { count, offset, modelVersionId: model.id, readerId: reader.id, groundTruthRecordedById: lead.id });
    const done = offset + count;
    const eta = ((Date.now() - started) / done) * (scans - done);
    process.stderr.write(`  seeded ${done.toLocaleString()} / ${scans.toLocaleString()} scans, ETA ${(eta / 1000).toFixed(0)} s\n`);
  }
  // As autovacuum leaves a database in steady use: statistics fresh, visibility map set for index-only scans.
  process.stderr.write('  VACUUM ANALYZE…\n');
  await dataSource.query('VACUUM ANALYZE');
  return { modelId: model.id, leadId: lead.id };
}

/** A GraphQL request through the API; its data typed as the caller's query selects it. */
type GraphQL = <T>(query: string, variables: object) => Promise<T>;

/** A 134-case balanced study read by 6 readers, reads written as the API would write them. */
async function readerStudy(dataSource: DataSource, graphql: GraphQL): Promise<string> {
  const sample = await graphql<{ sampleBalancedCases: { scanIds: string[] } }>(
    `
      query {
        sampleBalancedCases(input: { count: 134 }) {
          scanIds
        }
      }
    `,
    {},
  );
  const study = await graphql<{ createReaderStudy: { id: string } }>(
    `
      mutation ($ids: [ID!]!) {
        createReaderStudy(input: { name: "bench", mode: BLINDED, scanIds: $ids }) {
          id
        }
      }
    `,
    { ids: sample.sampleBalancedCases.scanIds },
  );
  const id = study.createReaderStudy.id;
  for (let k = 0; k < 6; k++) {
    const [reader] = await dataSource.query(`INSERT INTO users (email, name, role, active) VALUES ($1, $2, 'CLINICIAN', true) RETURNING id`, [
      `study-reader-${k}-${Date.now()}@bench.test`,
      `Study reader ${k + 1}`,
    ]);
    await dataSource.query(
      `INSERT INTO reviews (scan_id, reader_id, verdict, confidence, time_spent_ms, ai_visible, reader_study_id)
       SELECT c.scan_id, $2, CASE WHEN random() < 0.5 + 0.35 * (g.mbd::int * 2 - 1) THEN 'MBD' ELSE 'NO_MBD' END::verdict,
              1 + floor(random() * 5)::int, 8000 + floor(random() * 20000)::int, false, $1
       FROM reader_study_cases c JOIN ground_truths g ON g.scan_id = c.scan_id WHERE c.reader_study_id = $1`,
      [id, reader.id],
    );
  }
  // Results are given once the study is closed: readings stay blind until then.
  await graphql(
    `
      mutation ($id: ID!) {
        closeReaderStudy(id: $id) {
          id
        }
      }
    `,
    { id },
  );
  return id;
}

async function measure(name: string, runs: number, run: () => Promise<unknown>): Promise<{ name: string; p50: number; p95: number }> {
  await run(); // warm-up: plans and caches, as on a dashboard that is open all day
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  const result = { name, p50: quantile(times, 0.5)!, p95: quantile(times, 0.95)! };
  process.stderr.write(`  ${name}: p50 ${result.p50.toFixed(1)} ms\n`);
  return result;
}

async function main(): Promise<void> {
  const scans = argument('scans', 1_000_000);
  const runs = argument('runs', 20);
  await withBenchDatabase('analytics', 4, async ({ config, dataSource }) => {
    process.stderr.write(`seeding ${scans.toLocaleString()} scans in chunks of ${CHUNK.toLocaleString()}…\n`);
    const { modelId, leadId } = await seed(dataSource, scans);
    const app = await buildApp({ config, dataSource });
    const session = await issuePortalSession(leadId, sessionSecret(config));
    const graphql: GraphQL = async <T>(query: string, variables: object) => {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: T; errors?: Array<{ message: string }> };
      if (body.errors) throw new Error(`GraphQL error: ${body.errors[0].message}`);
      return body.data;
    };
    const studyId = await readerStudy(dataSource, graphql);
    const now = Date.now();
    const lastDays = (days: number) => ({ from: new Date(now - days * DAY).toISOString(), to: new Date(now + DAY).toISOString() });
    const [{ n: inYear }] = await dataSource.query(`SELECT count(*)::int AS n FROM scans WHERE arrived_at >= now() - interval '365 days'`);
    const [{ n: inQuarter }] = await dataSource.query(`SELECT count(*)::int AS n FROM scans WHERE arrived_at >= now() - interval '90 days'`);

    const FIG = 'sensitivity { value lower upper } specificity { value } auc { value lower upper } f1 { value lower upper }';
    const queries: Array<[string, string, object]> = [
      [
        'turnaround 30 days by DAY',
        `query($r: DateRange!) { turnaround(range: $r, groupBy: DAY) { total { scans backlog } periods { start arrivalToAi { p50Minutes p90Minutes } aiToFirstRead { p50Minutes p90Minutes } arrivalToFinal { p50Minutes p90Minutes } overTargetShare } } }`,
        { r: lastDays(30) },
      ],
      [
        'turnaround 365 days by WEEK',
        `query($r: DateRange!) { turnaround(range: $r, groupBy: WEEK) { total { scans backlog } periods { start arrivalToFinal { p50Minutes p90Minutes } } } }`,
        { r: lastDays(365) },
      ],
      [
        'turnaround 365 days, whole-range p50/p90',
        `query($r: DateRange!) { turnaround(range: $r, groupBy: WEEK) { total { scans arrivalToAi { p50Minutes p90Minutes } aiToFirstRead { p50Minutes p90Minutes } arrivalToFinal { p50Minutes p90Minutes } } } }`,
        { r: lastDays(365) },
      ],
      [
        'agreement 90 days',
        `query($r: DateRange!, $m: ID!) { agreement(range: $r, modelVersionId: $m) { reads kappa { value lower upper } aiPositivesOverturned { value } aiNegativesUpgraded { value } hotspotReasons { reason count } } }`,
        { r: lastDays(90), m: modelId },
      ],
      [
        'agreement 365 days',
        `query($r: DateRange!, $m: ID!) { agreement(range: $r, modelVersionId: $m) { reads kappa { value } } }`,
        { r: lastDays(365), m: modelId },
      ],
      [
        'diagnosticPerformance 90 days',
        `query($r: DateRange!, $m: ID!) { diagnosticPerformance(range: $r, modelVersionId: $m) { ai { ${FIG} } readersUnaided { ${FIG} } readersAided { ${FIG} } specificityGain { value lower upper } followUpImagingAvoided { value } } }`,
        { r: lastDays(90), m: modelId },
      ],
      [
        'diagnosticPerformance 365 days',
        `query($r: DateRange!, $m: ID!) { diagnosticPerformance(range: $r, modelVersionId: $m) { ai { ${FIG} } readersUnaided { ${FIG} } readersAided { ${FIG} } specificityGain { value lower upper } followUpImagingAvoided { value } } }`,
        { r: lastDays(365), m: modelId },
      ],
      [
        'thresholdSimulation (all scans)',
        `query($m: ID!) { thresholdSimulation(modelVersionId: $m, threshold: 0.7) { scans sensitivity { value } specificity { value } flaggedPerDay } }`,
        { m: modelId },
      ],
      [
        'readerStudyResults (134 cases x 6)',
        `query($id: ID!) { readerStudyResults(id: $id) { readers { figures { auc { value } } medianSecondsPerCase } readerAuc { median iqr } aiAucBootstrap { value lower upper } } }`,
        { id: studyId },
      ],
      ['sampleBalancedCases(134)', `query { sampleBalancedCases(input: { count: 134, seed: 2 }) { withMbd } }`, {}],
    ];
    process.stderr.write(`measuring: ${runs} runs per query after one warm-up\n`);
    const baseline = await measure('SELECT count(*) FROM scans (baseline)', runs, () => dataSource.query('SELECT count(*) FROM scans'));
    const results = [];
    for (const [name, query, variables] of queries) results.push(await measure(name, runs, () => graphql(query, variables)));

    console.log(
      `bench/analytics — ${scans.toLocaleString()} scans (${inQuarter.toLocaleString()} in the last 90 days, ${inYear.toLocaleString()} in 365), ${os.cpus().length} cores, ${runs} runs each`,
    );
    const row = (r: { name: string; p50: number; p95: number }) =>
      `${r.name.padEnd(40)} p50 ${r.p50.toFixed(1).padStart(8)} ms   p95 ${r.p95.toFixed(1).padStart(8)} ms   p50/baseline ${(r.p50 / baseline.p50).toFixed(2).padStart(6)}x   ${r === baseline ? '' : r.p95 <= 300 ? 'within 300 ms' : 'OVER 300 ms'}`;
    console.log(row(baseline));
    results.forEach((r) => console.log(row(r)));
    console.log('target: p95 <= 300 ms per query');

    const dateRange = (days: number) => ({ from: new Date(now - days * DAY), to: new Date(now + DAY) });
    const ranges: Array<[string, { from: Date; to: Date }]> = [
      ['90 days', dateRange(90)],
      ['365 days', dateRange(365)],
    ];
    const sideBySide = async (title: string) => {
      console.log(`\nAI score packs, former 10⁻⁴ grid beside exact (service called directly, ${runs} runs each, in turn) — ${title}`);
      (await comparePackForms(dataSource, modelId, ranges, runs)).forEach((line) => console.log(line));
      console.log(
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(', ')}`,
      );
    };
    await sideBySide('seeded scores: k / 10007, ~10,000 distinct');
    process.stderr.write('  giving every prediction its own score…\n');
    await makeScoresDistinct(dataSource);
    await sideBySide("every score distinct, as a model's outputs are");
    await app.shutdown();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
