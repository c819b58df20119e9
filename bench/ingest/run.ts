/**
 * bench/ingest (run by `npm run bench`): per-transfer-syntax parse + decode + pre-process times, then the
 * STOW-RS end-to-end scans/s (stow-rs.ts). Each runs in its own process so that neither skews the other.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

let failed = 0;
for (const script of ['transfer-syntaxes.ts', 'stow-rs.ts']) {
  process.stderr.write(`\nbench/ingest/${script}\n`);
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, script)], {
    stdio: 'inherit',
    cwd: path.resolve(__dirname, '../..'),
  });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
