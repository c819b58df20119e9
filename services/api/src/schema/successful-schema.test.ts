import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSchemaText } from './print-schema';

describe('the API contract', () => {
  it('commit schema.graphql exactly as the resolvers emit it', async () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../../../schema.graphql'), 'utf8');
    expect(committed).toBe(await printSchemaText());
  });
});
