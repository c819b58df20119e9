import { validate, type ValidationError } from 'class-validator';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AnalyticsResolver } from '../analytics/analytics.resolver';
import { ApiTokensResolver } from '../api-tokens/api-tokens.resolver';
import { GroundTruthResolver } from '../ground-truth/ground-truth.resolver';
import { ModelVersionsResolver, PredictionsResolver } from '../model-versions/model-versions.resolver';
import { PatientsResolver } from '../patients/patients.resolver';
import { ReaderStudiesResolver, ReaderStudyCaseResolver } from '../reader-studies/reader-studies.resolver';
import { ReviewsResolver } from '../reviews/reviews.resolver';
import { ScanEventsResolver } from '../scan-events/scan-events.resolver';
import { ScansResolver } from '../scans/scans.resolver';
import { UsersResolver } from '../users/users.resolver';
import { badInput } from './errors';

export const RESOLVERS = [
  UsersResolver,
  ApiTokensResolver,
  ScansResolver,
  PatientsResolver,
  ReviewsResolver,
  GroundTruthResolver,
  ModelVersionsResolver,
  PredictionsResolver,
  ScanEventsResolver,
  AnalyticsResolver,
  ReaderStudiesResolver,
  ReaderStudyCaseResolver,
] as const;

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

export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: RESOLVERS, validateFn: validateArgument, emitSchemaFile: false, pubSub: NO_TOPICS });
}
