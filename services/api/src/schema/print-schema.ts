import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildApiSchema } from '../resolvers';

/** The schema as committed: sorted, so the file changes only when the API does. */
export async function printSchemaText(): Promise<string> {
  const schema = await buildApiSchema();
  return `# Generated from the resolvers by \`npm run schema\`. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
