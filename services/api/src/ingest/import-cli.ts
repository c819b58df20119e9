/**
 * `npm run import -- <folder>`: files every DICOM object under a folder as scans, with the same checks,
 * transaction and queueing as C-STORE and STOW-RS. Progress on stderr; a summary, and each refused file
 * with its reason, at the end. Exit code 0 when every file was imported, 1 when some were refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@bonescan/config';
import { openDatabase, startEmbeddedPostgres, type PostgresServer } from '@bonescan/db';
import { createLogger } from '@bonescan/logger';
import { importFolder, type ImportSummary } from './folder-import';
import { startIngest } from './start-ingest';

function progressLine(): (done: number, total: number) => void {
  const started = Date.now();
  let drawn = 0;
  const tty = Boolean(process.stderr.isTTY);
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - drawn < (tty ? 200 : 5_000)) return;
    drawn = now;
    const seconds = (now - started) / 1000;
    const eta = done > 0 ? Math.round((seconds / done) * (total - done)) : 0;
    const width = 24;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const line = `import [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files, ${(done / Math.max(seconds, 0.001)).toFixed(1)}/s, ETA ${eta}s`;
    process.stderr.write(tty ? `\r${line}\x1b[K${done >= total ? '\n' : ''}` : `${line}\n`);
  };
}

function report(summary: ImportSummary): void {
  for (const { file, reason } of summary.refused) process.stderr.write(`refused ${file}: ${reason}\n`);
  process.stdout.write(
    `${summary.files} files: ${summary.stored} stored, ${summary.duplicates} already stored, ${summary.refused.length} refused; ${summary.scans} scans\n`,
  );
}

async function main(): Promise<number> {
  const folder = process.argv[2];
  if (!folder || !fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    process.stderr.write(`usage: npm run import -- <folder>\n${folder ? `"${folder}" is not a folder\n` : ''}`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('import', config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  let embedded: PostgresServer | undefined;
  if (!config.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({ dataDir: path.resolve(config.DATA_DIR, 'postgres'), port: config.EMBEDDED_POSTGRES_PORT });
    config.DATABASE_URL = embedded.url;
  }
  const dataSource = await openDatabase({ url: config.DATABASE_URL, poolSize: 4 });
  const ingest = await startIngest({ config, dataSource, logger });
  try {
    const summary = await importFolder(folder, ingest.service, progressLine());
    report(summary);
    return summary.refused.length > 0 ? 1 : 0;
  } finally {
    await ingest.stop();
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
