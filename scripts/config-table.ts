// Prints the configuration table for README.md: node -r @swc-node/register scripts/config-table.ts
import { configTable } from '../packages/config/src/config-table';

console.log(configTable());
