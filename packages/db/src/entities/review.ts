import type { HotspotReason, Verdict } from '@bonescan/clinical';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { HotspotReasonEnum, VerdictEnum } from './enums';
import { ReaderStudy } from './reader-study';
import { Scan } from './scan';
import { User } from './user';

@ObjectType({ description: "A reader's reason for one hotspot the AI pointed at" })
export class HotspotAssessment {
  @Field(() => Int, { description: 'Index into the prediction’s hotspots' })
  hotspotIndex: number;

  @Field(() => HotspotReasonEnum)
  reason: HotspotReason;
}

@ObjectType({ description: "A reader's verdict on a scan" })
@Entity('reviews')
@Check('reviews_confidence_range', '"confidence" BETWEEN 1 AND 5')
@Check('reviews_time_spent_positive', '"time_spent_ms" >= 0')
@Index(['scanId', 'createdAt'])
@Index(['createdAt'])
// A reader reads each case of a study once; reviews outside studies (NULL study) are not limited.
@Index(['readerStudyId', 'readerId', 'scanId'], { unique: true })
@Index('reviews_analytics', { synchronize: false }) // (scan_arrived_at) INCLUDE (...), by migration
export class Review {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Scan, { nullable: false, onDelete: 'CASCADE' })
  scan: Relation<Scan>;

  @Column({ type: 'uuid' })
  scanId: string;

  @Field(() => User)
  @ManyToOne(() => User, { nullable: false, onDelete: 'RESTRICT' })
  reader: Relation<User>;

  @Index()
  @Column({ type: 'uuid' })
  readerId: string;

  @Field(() => VerdictEnum)
  @Column({ type: 'enum', enum: VerdictEnum, enumName: 'verdict' })
  verdict: Verdict;

  @Field(() => Int, { description: '1 (unsure) to 5 (certain)' })
  @Column({ type: 'smallint' })
  confidence: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Field(() => Int, { description: 'Milliseconds from opening the scan to submitting' })
  @Column({ type: 'int' })
  timeSpentMs: number;

  @Field({ description: 'Whether the AI result was visible to the reader' })
  @Column({ type: 'boolean' })
  aiVisible: boolean;

  @Field(() => [HotspotAssessment])
  @Column({ type: 'jsonb', default: () => "'[]'" })
  hotspotAssessments: HotspotAssessment[];

  /** Chosen by the client per draft: a second submit of the same draft returns the first review. */
  @Index({ unique: true })
  @Column({ type: 'uuid', nullable: true })
  submissionKey: string | null;

  @ManyToOne(() => ReaderStudy, { nullable: true, onDelete: 'RESTRICT' })
  readerStudy: Relation<ReaderStudy> | null;

  @Field(() => ID, { nullable: true, description: 'The reader study this reading belongs to; null for routine reads' })
  @Column({ type: 'uuid', nullable: true })
  readerStudyId: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** The scan's arrival, kept by a database trigger (AddAnalyticsTriggers) for range analytics; never written by the application. */
  @Column({ type: 'timestamptz', nullable: true, insert: false, update: false, select: false })
  scanArrivedAt: Date | null;
}
