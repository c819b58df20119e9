import type { ModelVersionStatus } from '@bonescan/clinical';
import { ModelVersion, ModelVersionStatusEnum, Prediction } from '@bonescan/db';
import { transactionalQueue } from '@bonescan/queue';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DateRange } from '../analytics/estimate';
import type { Permission } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid, notFound } from '../graphql/errors';
import { registerModelVersion, rerunModelVersion, setModelVersionStatus } from './model-versions.service';

/** The API only enqueues, inside its own transactions; the workers own the queue. */
const queue = transactionalQueue();

@Resolver(() => ModelVersion)
export class ModelVersionsResolver {
  @Query(() => [ModelVersion], { description: 'Registered model versions, newest first' })
  @Authorized<Permission>('scans:read')
  modelVersions(@Ctx() context: RequestContext): Promise<ModelVersion[]> {
    return context.dataSource.getRepository(ModelVersion).find({ order: { createdAt: 'DESC' } });
  }

  @Mutation(() => ModelVersion, {
    description: 'Registers a model version folder (model.json, weights, model-card.json) as the workers see it; it starts INACTIVE',
  })
  @Authorized<Permission>('models:manage')
  async registerModelVersion(@Ctx() context: RequestContext, @Arg('path') path: string): Promise<ModelVersion> {
    const version = await registerModelVersion(context.dataSource, path, context.config.MODELS_DIR);
    // The threshold comes with the version's card: registering is how a threshold changes, so it is recorded here.
    context.audit.record({
      action: 'model-version.register',
      entityType: 'model_version',
      entityId: version.id,
      details: { name: version.name, version: version.version, threshold: version.threshold, status: version.status },
    });
    return version;
  }

  @Mutation(() => ModelVersion, {
    description: 'ACTIVE: shown to readers (the previous ACTIVE one becomes INACTIVE); SHADOW: predicts too, seen only in analytics',
  })
  @Authorized<Permission>('models:manage')
  async setModelVersionStatus(
    @Ctx() context: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('status', () => ModelVersionStatusEnum) status: ModelVersionStatus,
  ): Promise<ModelVersion> {
    assertUuid(id, 'model version');
    const version = await setModelVersionStatus(context.dataSource, id, status);
    // Which model's calls readers see is a clinical decision: who made it, and when, is kept.
    context.audit.record({ action: 'model-version.status', entityType: 'model_version', entityId: id, details: { status, threshold: version.threshold } });
    return version;
  }

  @Mutation(() => Int, { description: 'Queues this version for every scan that arrived in the range and has no prediction from it; returns how many' })
  @Authorized<Permission>('models:manage')
  rerunModelVersion(@Ctx() context: RequestContext, @Arg('id', () => ID) id: string, @Arg('range', () => DateRange) range: DateRange): Promise<number> {
    assertUuid(id, 'model version');
    return rerunModelVersion(context.dataSource, queue, id, range);
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
