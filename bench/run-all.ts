/**
 * Benchmarks run one after another: they would skew each other if run together on two cores.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandLine } from '@bonescan/logger';

const available = fs.readdirSync(__dirname).filter((name) => fs.existsSync(path.join(__dirname, name, 'run.ts')));
const BENCH = commandLine({
  invocation: 'npm run bench --',
  synopsis: `[${available.join('|')} ...]`,
  purpose: 'Runs every benchmark under bench/<name>/run.ts in turn, or only those named; each prints its figures and ratios against a baseline.',
});

const only = BENCH.arguments();
const unknown = only.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`no benchmark named ${unknown.join(', ')}\n${BENCH.usage}\n`);
  process.exit(2);
}
const benches = available.filter((name) => only.length === 0 || only.includes(name));

let failed = 0;
for (const [i, name] of benches.entries()) {
  process.stderr.write(`\n[${i + 1}/${benches.length}] bench/${name}\n`);
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, name, 'run.ts')], {
    stdio: 'inherit',
    cwd: path.resolve(__dirname, '..'),
  });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
