import type { GraphQLSchema } from 'graphql';
import { AnalyticsResolver } from './analytics/analytics.resolver';
import { ApiTokensResolver } from './api-tokens/api-tokens.resolver';
import { SingleSignOnResolver } from './auth/single-sign-on.resolver';
import { SignOutResolver } from './auth/sign-out.resolver';
import { authChecker } from './auth/viewer';
import { buildGraphQLSchema } from './graphql/schema';
import { GroundTruthResolver } from './ground-truth/ground-truth.resolver';
import { ModelVersionsResolver, PredictionsResolver } from './model-versions/model-versions.resolver';
import { PatientsResolver } from './patients/patients.resolver';
import { ReaderStudiesResolver, ReaderStudyCaseResolver } from './reader-studies/reader-studies.resolver';
import { ReviewsResolver } from './reviews/reviews.resolver';
import { ScanEventsResolver } from './scan-events/scan-events.resolver';
import { ScansResolver } from './scans/scans.resolver';
import { UsersResolver } from './users/users.resolver';

/** Every feature the GraphQL API serves: the one list a new feature is added to. */
export const RESOLVERS = [
  UsersResolver,
  SingleSignOnResolver,
  SignOutResolver,
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

/** The API's schema: the features above, each field's `@Authorized(permission)` decided by the viewer's permissions. */
export const buildApiSchema = (): Promise<GraphQLSchema> => buildGraphQLSchema({ resolvers: RESOLVERS, authChecker });
