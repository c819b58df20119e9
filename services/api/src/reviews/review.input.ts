import type { HotspotReason, Verdict } from '@bonescan/clinical';
import { HotspotReasonEnum, VerdictEnum } from '@bonescan/db';
import { ArrayMaxSize, IsInt, IsOptional, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class HotspotAssessmentInput {
  @Field(() => Int)
  @IsInt()
  @Min(0)
  hotspotIndex: number;

  @Field(() => HotspotReasonEnum)
  reason: HotspotReason;
}

/** What a reader records about one scan, routine or within a reader study (fields inherited by the inputs below). */
@InputType()
export class ReadingInput {
  @Field(() => VerdictEnum)
  verdict: Verdict;

  @Field(() => Int, { description: '1 (unsure) to 5 (certain)' })
  @IsInt()
  @Min(1)
  @Max(5)
  confidence: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  comment?: string | null;

  @Field(() => Int, { description: 'Milliseconds from opening the scan to submitting' })
  @IsInt()
  @Min(0)
  @Max(24 * 3600 * 1000)
  timeSpentMs: number;

  @Field(() => [HotspotAssessmentInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  hotspotAssessments?: HotspotAssessmentInput[];

  @Field(() => ID, { nullable: true, description: 'Client-chosen id of the draft: submitting it twice records one review' })
  @IsOptional()
  @IsUUID()
  submissionKey?: string | null;
}

@InputType()
export class SubmitReviewInput extends ReadingInput {
  @Field(() => ID)
  scanId: string;

  @Field({ description: 'Whether the AI result was visible while reading' })
  aiVisible: boolean;
}
