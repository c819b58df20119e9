import { parseArgs } from 'node:util';
import { commandLine } from '@bonescan/logger';
import { configTable } from '../packages/config/src/config-table';

const CONFIG_TABLE = commandLine({
  invocation: 'node -r @swc-node/register scripts/config-table.ts',
  synopsis: '',
  purpose: 'Prints the README’s configuration table, written from the configuration schema.',
});

parseArgs({ args: CONFIG_TABLE.arguments(), options: {} });
console.log(configTable());
