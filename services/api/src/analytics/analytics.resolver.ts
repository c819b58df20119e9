import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Arg, Authorized, Ctx, Float, ID, Info, Query, Resolver } from 'type-graphql';
import type { Permission } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid, badInput } from '../graphql/errors';
import { Agreement, DiagnosticPerformance, ThresholdSimulation, Turnaround, TurnaroundGrouping } from './analytics.types';
import { AnalyticsService } from './analytics.service';
import { checkRange, DateRange } from './estimate';

/** Argument checks shared by the model-version figures over a date range. */
function rangeOfModel(context: RequestContext, range: DateRange, modelVersionId: string): AnalyticsService {
  checkRange(range);
  assertUuid(modelVersionId, 'model version', 'modelVersionId');
  return new AnalyticsService(context.dataSource);
}

/** Fields of a selection set by name; a fragment counts as selecting everything, so nothing asked for is ever left out. */
function selected(set: SelectionSetNode | undefined, names: string[]): FieldNode[] | 'all' {
  if (!set) return [];
  if (set.selections.some((s) => s.kind !== 'Field')) return 'all';
  return (set.selections as FieldNode[]).filter((field) => names.includes(field.name.value));
}

/** Whether the query asks for a percentile of the whole range, which costs a sort of every scan in it. */
function asksForTotalPercentiles(info: GraphQLResolveInfo): boolean {
  const totals = selected(info.fieldNodes[0].selectionSet, ['total']);
  if (totals === 'all') return true;
  return totals.some((total) => {
    const intervals = selected(total.selectionSet, ['arrivalToAi', 'aiToFirstRead', 'arrivalToFinal']);
    if (intervals === 'all') return true;
    return intervals.some((interval) => {
      const figures = selected(interval.selectionSet, ['p50Minutes', 'p90Minutes']);
      return figures === 'all' || figures.length > 0;
    });
  });
}

/** Department figures for leads and admins (permission analytics:read). Aggregates only: no patient data leaves. */
@Resolver()
@Authorized<Permission>('analytics:read')
export class AnalyticsResolver {
  @Query(() => Turnaround, { description: 'Arrival → AI → first read → final read, p50/p90 per day or week, backlog and share over target' })
  turnaround(
    @Ctx() context: RequestContext,
    @Arg('range', () => DateRange) range: DateRange,
    @Arg('site', () => String, { nullable: true }) site: string | null,
    @Arg('groupBy', () => TurnaroundGrouping, { defaultValue: TurnaroundGrouping.DAY }) groupBy: TurnaroundGrouping,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Turnaround> {
    checkRange(range);
    const service = new AnalyticsService(context.dataSource);
    return service.turnaround(range, site, groupBy, context.config.TURNAROUND_TARGET_MINUTES, asksForTotalPercentiles(info));
  }

  @Query(() => Agreement, { description: 'AI–reader agreement on scans that arrived in the range' })
  agreement(
    @Ctx() context: RequestContext,
    @Arg('range', () => DateRange) range: DateRange,
    @Arg('modelVersionId', () => ID) modelVersionId: string,
  ): Promise<Agreement> {
    return rangeOfModel(context, range, modelVersionId).agreement(range, modelVersionId);
  }

  @Query(() => DiagnosticPerformance, { description: 'AI alone vs readers unaided vs readers aided, against ground truth' })
  diagnosticPerformance(
    @Ctx() context: RequestContext,
    @Arg('range', () => DateRange) range: DateRange,
    @Arg('modelVersionId', () => ID) modelVersionId: string,
  ): Promise<DiagnosticPerformance> {
    return rangeOfModel(context, range, modelVersionId).diagnosticPerformance(range, modelVersionId);
  }

  @Query(() => ThresholdSimulation, { description: 'Sensitivity, specificity and AI-positive workload at a proposed threshold' })
  thresholdSimulation(
    @Ctx() context: RequestContext,
    @Arg('modelVersionId', () => ID) modelVersionId: string,
    @Arg('threshold', () => Float) threshold: number,
  ): Promise<ThresholdSimulation> {
    assertUuid(modelVersionId, 'model version', 'modelVersionId');
    if (!(threshold > 0 && threshold < 1)) throw badInput(`threshold must lie strictly between 0 and 1, got ${threshold}`, 'threshold');
    return new AnalyticsService(context.dataSource).thresholdSimulation(modelVersionId, threshold);
  }
}
