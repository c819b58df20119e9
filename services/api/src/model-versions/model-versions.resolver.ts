import { ModelVersion, Prediction } from '@bonescan/db';
import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { requirePermission } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { notFound } from '../graphql/errors';

@Resolver(() => ModelVersion)
export class ModelVersionsResolver {
  @Query(() => [ModelVersion], { description: 'Registered model versions, newest first' })
  modelVersions(@Ctx() context: RequestContext): Promise<ModelVersion[]> {
    requirePermission(context.viewer, 'scans:read');
    return context.dataSource.getRepository(ModelVersion).find({ order: { createdAt: 'DESC' } });
  }
}

@Resolver(() => Prediction)
export class PredictionsResolver {
  @FieldResolver(() => ModelVersion)
  async modelVersion(@Root() prediction: Prediction, @Ctx() context: RequestContext): Promise<ModelVersion> {
    const version = await context.loaders.modelVersion.load(prediction.modelVersionId);
    if (!version) throw notFound('model version', prediction.modelVersionId);
    return version;
  }
}
