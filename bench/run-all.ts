/**
 * `npm run bench`: every benchmark under bench/<name>/run.ts, one after another (they would skew each
 * other if run together on two cores). `npm run bench -- api analytics` runs only those.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const only = process.argv.slice(2);
const benches = fs
  .readdirSync(__dirname)
  .filter((name) => fs.existsSync(path.join(__dirname, name, 'run.ts')))
  .filter((name) => only.length === 0 || only.includes(name));

let failed = 0;
for (const [i, name] of benches.entries()) {
  process.stderr.write(`\n[${i + 1}/${benches.length}] bench/${name}\n`);
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, name, 'run.ts')], { stdio: 'inherit', cwd: path.resolve(__dirname, '..') });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
