import { ProgressLine } from '@bonescan/logger';
import { loadCodecs } from '../src';
import { fuzzReader, fuzzSeeds } from './mutate';

// `npm run fuzz -- [cases] [first-case]`: the long run of the CI fuzz test (default 200,000 cases).
async function main(): Promise<void> {
  const cases = Number(process.argv[2] ?? 200_000);
  const first = Number(process.argv[3] ?? 10_000);
  if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(first) || first < 0) throw new Error('usage: npm run fuzz -- [cases ≥ 1] [first case ≥ 0]');
  await loadCodecs();
  const seeds = fuzzSeeds();
  const progress = new ProgressLine('fuzz', cases);
  const report = fuzzReader(seeds, cases, first, (done) => progress.update(done));
  process.stdout.write(`${JSON.stringify({ ...report, crashes: report.crashes.length, firstCrashes: report.crashes.slice(0, 10) }, null, 2)}\n`);
  if (report.crashes.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
