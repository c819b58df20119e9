import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildGraphQLSchema } from '../graphql/schema';

/** The schema as committed: sorted, so the file changes only when the API does. */
export async function printSchemaText(): Promise<string> {
  const schema = await buildGraphQLSchema();
  return `# Generated from the resolvers by \`npm run schema\`. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
