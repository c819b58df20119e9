import { GroundTruth } from '@bonescan/db';
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { SignedInViewer, type Permission, type Viewer } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid } from '../graphql/errors';
import { RecordGroundTruthInput } from './ground-truth.input';
import { GroundTruthService } from './ground-truth.service';

@Resolver(() => GroundTruth)
export class GroundTruthResolver {
  @Mutation(() => GroundTruth, { description: 'Record (or correct) the definitive diagnosis of a scan' })
  @Authorized<Permission>('ground-truth:write')
  async recordGroundTruth(
    @Ctx() context: RequestContext,
    @SignedInViewer() viewer: Viewer,
    @Arg('input', () => RecordGroundTruthInput) input: RecordGroundTruthInput,
  ): Promise<GroundTruth> {
    assertUuid(input.scanId, 'scan', 'scanId');
    const { groundTruth, scan } = await new GroundTruthService(context.dataSource).record(viewer.userId, input);
    context.audit.record({ action: 'ground-truth.record', entityType: 'scan', entityId: scan.id, patientId: scan.patientId });
    return groundTruth;
  }
}
