import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { commandLine } from '@bonescan/logger';
import { printSchemaText } from './print-schema';

const target = path.resolve(__dirname, '../../../../schema.graphql');

const SCHEMA = commandLine({
  invocation: 'npm run schema --',
  synopsis: '[--check]',
  purpose:
    'Writes the API contract, schema.graphql, from the resolvers without starting a server; with --check, exits 1 when the committed file differs instead.',
});

async function main(): Promise<void> {
  const { values } = parseArgs({ args: SCHEMA.arguments(), options: { check: { type: 'boolean', default: false } } });
  const text = await printSchemaText();
  if (values.check) {
    const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (committed !== text) {
      console.error('schema.graphql differs from the resolvers: run `npm run schema` and commit it');
      process.exit(1);
    }
    console.log('schema.graphql matches the resolvers');
    return;
  }
  fs.writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
