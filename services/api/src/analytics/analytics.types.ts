import type { HotspotReason } from '@bonescan/clinical';
import { HotspotReasonEnum } from '@bonescan/db';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DiagnosticFigures } from './diagnostic-figures';
import { Estimate } from './estimate';

export enum TurnaroundGrouping {
  DAY = 'day',
  WEEK = 'week',
}
registerEnumType(TurnaroundGrouping, { name: 'TurnaroundGrouping', description: 'Buckets of arrival time (UTC; weeks start on Monday)' });

@ObjectType({ description: 'Median and 90th percentile of an interval, in minutes' })
export class DurationPercentiles {
  @Field(() => Float, { nullable: true, description: 'Median, minutes; null when no scan has both timestamps' })
  p50Minutes: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile, minutes' })
  p90Minutes: number | null;

  @Field(() => Int, { description: 'Scans with both timestamps' })
  scans: number;
}

@ObjectType({ description: 'Turnaround of the scans that arrived in one bucket (or in the whole range)' })
export class TurnaroundPeriod {
  @Field(() => Date, { nullable: true, description: 'Start of the bucket; null for the whole range' })
  start: Date | null;

  @Field(() => Int, { description: 'Scans that arrived' })
  scans: number;

  @Field(() => DurationPercentiles, { description: 'Arrival → AI result' })
  arrivalToAi: DurationPercentiles;

  @Field(() => DurationPercentiles, { description: 'AI result → first read (scans read after the AI result)' })
  aiToFirstRead: DurationPercentiles;

  @Field(() => DurationPercentiles, { description: 'Arrival → final (non-equivocal) read' })
  arrivalToFinal: DurationPercentiles;

  @Field(() => Int, { description: 'Scans without a final read yet' })
  backlog: number;

  @Field(() => Int, { description: 'Scans whose final read came after the target, or that have waited longer than the target unread' })
  overTarget: number;

  @Field(() => Float, { nullable: true, description: 'overTarget / scans; null when no scan arrived' })
  overTargetShare: number | null;
}

@ObjectType()
export class Turnaround {
  @Field(() => Float, { description: 'Arrival → final target (TURNAROUND_TARGET_MINUTES)' })
  targetMinutes: number;

  @Field(() => String, { nullable: true })
  site: string | null;

  @Field(() => TurnaroundPeriod, { description: 'The whole range' })
  total: TurnaroundPeriod;

  @Field(() => [TurnaroundPeriod], { description: 'One per day or week that had arrivals, oldest first' })
  periods: TurnaroundPeriod[];
}

@ObjectType()
export class HotspotReasonCount {
  @Field(() => HotspotReasonEnum)
  reason: HotspotReason;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: 'How far readers agree with the AI, over reads of scans the model version called' })
export class Agreement {
  @Field(() => Int, { description: 'Reads of scans with a prediction of this model version' })
  reads: number;

  @Field(() => Estimate, { description: "Cohen's κ between the AI's call (MBD / NO_MBD) and the reader's verdict (MBD / NO_MBD / EQUIVOCAL), Wald interval" })
  kappa: Estimate;

  @Field(() => Float, { nullable: true, description: 'Share of reads whose verdict equals the AI call' })
  observedAgreement: number | null;

  @Field(() => Estimate, { description: 'Of reads of AI-positive scans, the share the reader called NO_MBD' })
  aiPositivesOverturned: Estimate;

  @Field(() => Estimate, { description: 'Of reads of AI-negative scans, the share the reader called MBD' })
  aiNegativesUpgraded: Estimate;

  @Field(() => [HotspotReasonCount], { description: 'Reasons readers gave for AI hotspots, every reason listed' })
  hotspotReasons: HotspotReasonCount[];
}

@ObjectType({ description: 'AI alone, readers without and with the AI, against ground truth, on the same scans' })
export class DiagnosticPerformance {
  @Field(() => DiagnosticFigures, { description: "The model's calls; AUC from its probability" })
  ai: DiagnosticFigures;

  @Field(() => DiagnosticFigures, { description: 'Reads made with the AI hidden; AUC from verdict and confidence' })
  readersUnaided: DiagnosticFigures;

  @Field(() => DiagnosticFigures, { description: 'Reads made with the AI visible' })
  readersAided: DiagnosticFigures;

  @Field(() => Estimate, { description: 'Specificity aided − unaided (Newcombe interval)' })
  specificityGain: Estimate;

  @Field(() => Estimate, { description: 'Sensitivity aided − unaided, to read beside the specificity gain' })
  sensitivityChange: Estimate;

  @Field(() => Estimate, {
    description:
      'Of scans without MBD read both unaided and aided, the share an unaided read sent on to further imaging and no aided read did (numerator: scans spared)',
  })
  followUpImagingAvoided: Estimate;

  @Field({ description: 'How verdict and confidence become the readers’ ROC score' })
  readerScoreMapping: string;
}

@ObjectType({ description: 'What the model would do at another threshold, on local scans with ground truth' })
export class ThresholdSimulation {
  @Field(() => Float)
  threshold: number;

  @Field(() => Float, { description: 'The threshold the model version uses now' })
  currentThreshold: number;

  @Field(() => Int, { description: 'Scans with a prediction of the model version and ground truth' })
  scans: number;

  @Field(() => Estimate)
  sensitivity: Estimate;

  @Field(() => Estimate)
  specificity: Estimate;

  @Field(() => Estimate, { description: 'At the current threshold, for comparison' })
  currentSensitivity: Estimate;

  @Field(() => Estimate, { description: 'At the current threshold, for comparison' })
  currentSpecificity: Estimate;

  @Field(() => Estimate, { description: 'Share of all predicted scans the model would flag MBD (AI-positive, read first)' })
  flaggedShare: Estimate;

  @Field(() => Float, { nullable: true, description: 'AI-positive scans per day at this threshold, over the last 30 days of arrivals' })
  flaggedPerDay: number | null;

  @Field(() => Float, { nullable: true, description: 'AI-positive scans per day at the current threshold, over the last 30 days' })
  currentFlaggedPerDay: number | null;
}
