import { validate, type ValidationError } from 'class-validator';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type AuthChecker, type NonEmptyArray } from 'type-graphql';
import { badInput } from './errors';

function describe(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: message.replace(error.property, field) }));
    return [...own, ...describe(error.children ?? [], field)];
  });
}

/** Input classes carry class-validator rules; a violation becomes one BAD_USER_INPUT naming every field at fault. */
async function validateArgument(value: unknown): Promise<void> {
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const problems = describe(await validate(item, { forbidUnknownValues: false }));
    if (problems.length > 0) throw badInput(problems.map((p) => p.message).join('; '), problems[0].field);
  }
}

/**
 * type-graphql insists on a PubSub once a schema has subscriptions; ours bring their own event source
 * (`subscribe`, fed by PostgreSQL LISTEN), so topic-based publishing is refused rather than silently dropped.
 */
const NO_TOPICS = {
  publish(): void {
    throw new Error('subscriptions here read their own event source; there are no pub/sub topics');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('subscriptions here read their own event source; there are no pub/sub topics');
  },
};

/**
 * The executable schema of the given resolvers. The composition root names them and the access rule: this folder
 * knows no feature, so features can depend on it without it depending back on them.
 */
export function buildGraphQLSchema<Context extends object, Permission>(options: {
  resolvers: NonEmptyArray<Function>;
  /** Decides every `@Authorized(...)` field; throws the client error a refused caller should see. */
  authChecker: AuthChecker<Context, Permission>;
}): Promise<GraphQLSchema> {
  return buildSchema({ ...options, validateFn: validateArgument, emitSchemaFile: false, pubSub: NO_TOPICS });
}
