import { parseArgs } from 'node:util';
import { commandLine, ProgressLine } from '@bonescan/logger';
import { loadCodecs } from '../src';
import { fuzzReader, fuzzSeeds } from './mutate';

const FUZZ = commandLine({
  invocation: 'npm run fuzz --',
  synopsis: '[cases ≥ 1, default 200000] [first case ≥ 0, default 10000]',
  purpose: 'The long run of the CI fuzz test: feeds mutated DICOM objects to the reader and prints what it found; exit 1 on a crash.',
});

async function main(): Promise<void> {
  const { positionals } = parseArgs({ args: FUZZ.arguments(), allowPositionals: true, options: {} });
  const cases = Number(positionals[0] ?? 200_000);
  const first = Number(positionals[1] ?? 10_000);
  if (positionals.length > 2 || !Number.isInteger(cases) || cases < 1 || !Number.isInteger(first) || first < 0) throw new Error(FUZZ.usage);
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
