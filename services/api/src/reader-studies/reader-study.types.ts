import type { AiLabel, ReaderStudyMode, Verdict, View } from '@bonescan/clinical';
import { AiLabelEnum, Hotspot, ModelVersion, ReaderStudy, ReaderStudyModeEnum, Review, User, VerdictEnum, ViewEnum } from '@bonescan/db';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DiagnosticFigures } from '../analytics/diagnostic-figures';
import { DateRange, Estimate } from '../analytics/estimate';
import { ReadingInput } from '../reviews/review.input';

export const MAX_STUDY_CASES = 2000;

@InputType()
export class CreateReaderStudyInput {
  @Field()
  @Length(1, 200)
  name: string;

  @Field(() => ReaderStudyModeEnum)
  mode: ReaderStudyMode;

  @Field(() => [ID], { description: 'The case list, e.g. from sampleBalancedCases' })
  @ArrayMinSize(2)
  @ArrayMaxSize(MAX_STUDY_CASES)
  scanIds: string[];
}

@InputType()
export class BalancedCaseSampleInput {
  @Field(() => Int, { description: 'Cases in all, half with MBD confirmed and half without (the paper used 134)' })
  @IsInt()
  @Min(2)
  @Max(MAX_STUDY_CASES)
  count: number;

  @Field(() => String, { nullable: true, description: 'Only scans from this site (the paper used an external centre)' })
  @IsOptional()
  site?: string | null;

  @Field(() => DateRange, { nullable: true, description: 'Only scans that arrived in this range' })
  @IsOptional()
  range?: DateRange | null;

  @Field(() => Int, { nullable: true, description: 'Same seed, same data → same sample; default 1' })
  @IsOptional()
  @IsInt()
  seed?: number | null;
}

@ObjectType()
export class BalancedCaseSample {
  @Field(() => [ID], { description: 'Scan ids, MBD and no-MBD cases interleaved' })
  scanIds: string[];

  @Field(() => Int)
  withMbd: number;

  @Field(() => Int)
  withoutMbd: number;
}

@InputType()
export class ReaderStudyReadingInput extends ReadingInput {
  @Field(() => ID, { description: 'ReaderStudyCase.caseId from readerStudyQueue' })
  caseId: string;
}

@ObjectType({ description: "One image of a study case, named through the case: nothing in it leads to the scan's record" })
export class StudyCaseView {
  @Field(() => ID, { description: 'Case-scoped id; its pixels are at /reader-study-case-views/{id}/pixels' })
  id: string;

  @Field(() => ViewEnum)
  view: View;

  @Field(() => Int)
  width: number;

  @Field(() => Int)
  height: number;

  @Field(() => Float, { nullable: true, description: 'Column spacing in mm' })
  pixelSpacingX: number | null;

  @Field(() => Float, { nullable: true, description: 'Row spacing in mm' })
  pixelSpacingY: number | null;
}

@ObjectType({ description: "The AI result an aided study shows for a case, named through the case: nothing in it leads to the scan's record" })
export class StudyCasePrediction {
  @Field(() => ID, { description: 'Case-scoped id; its heat maps are at /reader-study-case-heatmaps/{id}/{AP|PA}' })
  id: string;

  @Field(() => Float, { description: 'Probability of metastatic bone disease' })
  probability: number;

  @Field(() => AiLabelEnum)
  label: AiLabel;

  @Field(() => Float)
  threshold: number;

  @Field(() => [Hotspot])
  hotspots: Hotspot[];
}

@ObjectType({ description: 'A case as a study reader sees it: the images, the AI only in aided studies, and no patient identifiers' })
export class ReaderStudyCaseForReading {
  @Field(() => ID)
  caseId: string;

  @Field(() => Int, { description: "1-based place in this reader's randomised order" })
  order: number;

  @Field(() => Review, { nullable: true, description: "This reader's reading of the case, once submitted" })
  reading: Review | null;

  /** Internal: loads views and prediction; not exposed, so the case cannot be traced to a patient from here. */
  scanId: string;

  /** Internal: the study hides the AI. */
  blinded: boolean;
}

@ObjectType()
export class ReaderStudyQueue {
  @Field(() => ReaderStudy)
  study: ReaderStudy;

  @Field(() => [ReaderStudyCaseForReading], { description: "Every case, in this reader's order" })
  cases: ReaderStudyCaseForReading[];

  @Field(() => Int)
  total: number;

  @Field(() => Int, { description: 'Cases this reader has read' })
  done: number;
}

@ObjectType({ description: 'Median and interquartile range of a figure across readers' })
export class AcrossReaders {
  @Field(() => Float, { nullable: true })
  median: number | null;

  @Field(() => Float, { nullable: true, description: 'Q3 − Q1' })
  iqr: number | null;

  @Field(() => Float, { nullable: true })
  q1: number | null;

  @Field(() => Float, { nullable: true })
  q3: number | null;

  @Field(() => Int, { description: 'Readers whose figure could be computed' })
  readers: number;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType({ description: "One reader's (or the AI's) results on the study's cases with ground truth" })
export class StudyReaderResult {
  @Field(() => User, { nullable: true, description: 'Null for the AI' })
  reader: User | null;

  @Field(() => Int, { description: 'Cases read (or called, for the AI), ground truth or not' })
  casesRead: number;

  @Field(() => DiagnosticFigures)
  figures: DiagnosticFigures;

  @Field(() => Float, { nullable: true, description: 'Median seconds per case (the AI: model latency)' })
  medianSecondsPerCase: number | null;

  @Field(() => Float, { description: 'Minutes spent on all cases read' })
  totalMinutes: number;

  readerId: string | null;
}

@ObjectType({ description: 'One reading of one study case, for the per-read export; the case is named by its place in the study, never by patient' })
export class StudyReading {
  @Field(() => Int, { description: 'Place of the case in the study’s case list (1-based)' })
  caseNumber: number;

  @Field(() => User)
  reader: User;

  @Field(() => VerdictEnum)
  verdict: Verdict;

  @Field(() => Int)
  confidence: number;

  @Field(() => String, { nullable: true })
  comment: string | null;

  @Field(() => Int)
  timeSpentMs: number;

  @Field()
  aiVisible: boolean;

  @Field(() => Boolean, { nullable: true, description: 'MBD by ground truth; null while none is recorded' })
  groundTruthMbd: boolean | null;

  @Field()
  readAt: Date;
}

@ObjectType({ description: "The paper's reader-study analysis (Fig. 7): AUC per reader beside the AI, time per case" })
export class ReaderStudyResults {
  @Field(() => ReaderStudy)
  study: ReaderStudy;

  @Field(() => Int)
  cases: number;

  @Field(() => Int, { description: 'Cases whose ground truth is recorded; only these enter AUC, sensitivity and specificity' })
  casesWithGroundTruth: number;

  @Field(() => Int)
  reads: number;

  @Field(() => [StudyReaderResult], { description: 'One per reader who read at least one case' })
  readers: StudyReaderResult[];

  @Field(() => AcrossReaders, { description: 'Per-reader AUC (DeLong CI each) summarised across readers' })
  readerAuc: AcrossReaders;

  @Field(() => AcrossReaders)
  readerF1: AcrossReaders;

  @Field(() => StudyReaderResult, { nullable: true, description: 'The model on the same cases; null when no model version has called them' })
  ai: StudyReaderResult | null;

  @Field(() => Estimate, { description: "The AI's AUC on the same cases, percentile bootstrap CI (100 resamples, as in the paper)" })
  aiAucBootstrap: Estimate;

  @Field(() => ModelVersion, { nullable: true })
  modelVersion: ModelVersion | null;

  @Field({ description: 'How verdict and confidence become the readers’ ROC score' })
  readerScoreMapping: string;

  @Field(() => [StudyReading], { description: 'Every reading, by case then time' })
  readings: StudyReading[];
}
