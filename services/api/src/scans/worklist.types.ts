import type { AiLabel, ScanStatus } from '@bonescan/clinical';
import { AiLabelEnum, Scan, ScanStatusEnum } from '@bonescan/db';
import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum WorklistSort {
  /** AI-positive scans first, most probable first; then the rest; unpredicted last; newest first within ties. */
  AI_PRIORITY = 'AI_PRIORITY',
  /** Newest arrival first. */
  ARRIVAL = 'ARRIVAL',
}
registerEnumType(WorklistSort, { name: 'WorklistSort' });

@InputType()
export class WorklistFilter {
  @Field(() => [ScanStatusEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  status?: ScanStatus[];

  @Field(() => AiLabelEnum, { nullable: true })
  aiLabel?: AiLabel;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(200)
  site?: string;

  @Field({ nullable: true, description: 'Arrived at or after' })
  arrivedFrom?: Date;

  @Field({ nullable: true, description: 'Arrived before' })
  arrivedTo?: Date;

  @Field({ nullable: true, description: 'true: read at least once; false: not read yet' })
  read?: boolean;
}

@ObjectType()
export class ScanEdge {
  @Field()
  cursor: string;

  @Field(() => Scan)
  node: Scan;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType({ description: 'A page of scans (Relay cursor connection)' })
export class ScanConnection {
  @Field(() => [ScanEdge])
  edges: ScanEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
