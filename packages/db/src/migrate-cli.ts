import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandLine } from '@bonescan/logger';
import { openDatabase } from './data-source';
import { startEmbeddedPostgres } from './postgres-server';
import { pendingSchemaChanges } from './schema-drift';

const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

const MIGRATION_GENERATE = commandLine({
  invocation: 'npm run migration:generate --',
  synopsis: '<VerbNoun>',
  purpose:
    'Migrates a scratch database to the latest committed migration, asks TypeORM for the difference between it and the entities, ' +
    'and writes that difference as migrations/<epoch-ms>-<VerbNoun>.ts.',
});

function migrationSource(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]) => queries.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

async function generate(name: string): Promise<void> {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error(`Migration name must be VerbNoun in PascalCase, got "${name}"`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-migrate-'));
  const server = await startEmbeddedPostgres({ dataDir });
  try {
    const dataSource = await openDatabase({ url: server.url, poolSize: 1 });
    const { up, down } = await pendingSchemaChanges(dataSource);
    await dataSource.destroy();
    if (up.length === 0) {
      console.log('Entities and migrations agree: nothing to generate.');
      return;
    }
    const epoch = Date.now();
    const className = `${name}${epoch}`;
    const file = path.join(MIGRATIONS_DIR, `${epoch}-${name}.ts`);
    fs.writeFileSync(file, migrationSource(className, up, down.reverse()));
    console.log(`Wrote ${path.relative(process.cwd(), file)} (${up.length} statements). Add ${className} to migrations/index.ts.`);
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// `generate` is written into the npm script; the migration's name follows it.
const [command, name, ...rest] = MIGRATION_GENERATE.arguments();
if (command !== 'generate' || !name || rest.length > 0) {
  console.error(MIGRATION_GENERATE.usage);
  process.exit(2);
}
generate(name).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
