import type { GroundTruthSource } from '@bonescan/clinical';
import { GroundTruth, GroundTruthSourceEnum, Scan } from '@bonescan/db';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { requirePermission } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid, badInput, notFound } from '../graphql/errors';

@InputType()
export class RecordGroundTruthInput {
  @Field(() => ID)
  scanId: string;

  @Field({ description: 'Metastatic bone disease confirmed' })
  mbd: boolean;

  @Field(() => GroundTruthSourceEnum)
  source: GroundTruthSource;

  @Field({ description: 'YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'diagnosedOn must be a date as YYYY-MM-DD' })
  diagnosedOn: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  note?: string | null;
}

function checkDiagnosisDate(value: string): void {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw badInput(`diagnosedOn ${value} is not a calendar date`, 'diagnosedOn');
  if (date.getTime() > Date.now()) throw badInput(`diagnosedOn ${value} is in the future`, 'diagnosedOn');
}

@Resolver(() => GroundTruth)
export class GroundTruthResolver {
  @Mutation(() => GroundTruth, { description: 'Record (or correct) the definitive diagnosis of a scan' })
  async recordGroundTruth(@Ctx() context: RequestContext, @Arg('input', () => RecordGroundTruthInput) input: RecordGroundTruthInput): Promise<GroundTruth> {
    const viewer = requirePermission(context.viewer, 'ground-truth:write');
    assertUuid(input.scanId, 'scan', 'scanId');
    checkDiagnosisDate(input.diagnosedOn);
    const scan = await context.dataSource.getRepository(Scan).findOneBy({ id: input.scanId });
    if (!scan) throw notFound('scan', input.scanId);
    const values = { mbd: input.mbd, source: input.source, diagnosedOn: input.diagnosedOn, note: input.note ?? null, recordedById: viewer.userId };
    await context.dataSource
      .createQueryBuilder()
      .insert()
      .into(GroundTruth)
      .values({ scanId: scan.id, ...values })
      .orUpdate(['mbd', 'source', 'diagnosed_on', 'note', 'recorded_by_id'], ['scan_id'])
      .execute();
    context.audit.record({ action: 'ground-truth.record', entityType: 'scan', entityId: scan.id, patientId: scan.patientId });
    return context.dataSource.getRepository(GroundTruth).findOneByOrFail({ scanId: scan.id });
  }
}
