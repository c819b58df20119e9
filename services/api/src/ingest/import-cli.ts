/**
 * Progress on stderr; a summary, and each refused file with its reason, at the end.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '@bonescan/config';
import { openDatabase, startDatabaseServer } from '@bonescan/db';
import { commandLine, createLogger, ProgressLine } from '@bonescan/logger';
import { importFolder, type ImportSummary } from './folder-import';
import { startIngest } from './start-ingest';

const IMPORT = commandLine({
  invocation: 'npm run import --',
  synopsis: '<folder>',
  purpose:
    'Files every DICOM object under the folder as scans, with the same checks, transaction and queueing as C-STORE and STOW-RS. ' +
    'Exit code 0 when every file was imported, 1 when some were refused, 2 when the folder is not one.',
});

function report(summary: ImportSummary): void {
  for (const { file, reason } of summary.refused) process.stderr.write(`refused ${file}: ${reason}\n`);
  process.stdout.write(
    `${summary.files} files: ${summary.stored} stored, ${summary.duplicates} already stored, ${summary.refused.length} refused; ${summary.scans} scans\n`,
  );
}

async function main(): Promise<number> {
  const { positionals } = parseArgs({ args: IMPORT.arguments(), allowPositionals: true, options: {} });
  const [folder] = positionals;
  if (positionals.length !== 1 || !fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    process.stderr.write(`${IMPORT.usage}\n${folder ? `"${folder}" is not a folder\n` : ''}`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('import', config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  // The platform's database: DATABASE_URL, the embedded server npm start runs, or one started for this import.
  const database = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT });
  const dataSource = await openDatabase({ url: database.url, poolSize: 4 });
  const ingest = await startIngest({ config, dataSource, logger, databaseUrl: database.url });
  let progress: ProgressLine | undefined;
  try {
    const summary = await importFolder(folder, ingest.service, (done, total) => (progress ??= new ProgressLine('import', total)).update(done));
    report(summary);
    return summary.refused.length > 0 ? 1 : 0;
  } finally {
    await ingest.stop();
    await dataSource.destroy();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
