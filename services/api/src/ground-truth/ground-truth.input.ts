import type { GroundTruthSource } from '@bonescan/clinical';
import { GroundTruthSourceEnum } from '@bonescan/db';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

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
