import type { AiLabel, ScanStatus } from '@bonescan/clinical';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, ManyToOne, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AiLabelEnum, ScanStatusEnum } from './enums';
import { Patient } from './patient';
import { ScanView } from './scan-view';

/**
 * One whole-body bone scan study (anterior + posterior views). Turnaround timestamps and the
 * active model's call are kept on the row itself so that the worklist and the dashboards sort and
 * filter with one index scan instead of joining predictions and reviews for every row.
 */
@ObjectType({ description: 'A whole-body bone scan study: anterior and posterior views' })
@Entity('scans')
@Index('scans_triage_order', { synchronize: false }) // (coalesce(ai_probability,-1) desc, arrived_at desc, id desc), by migration
@Index('scans_to_ai_bin', { synchronize: false }) // (duration bin of arrival → AI, arrived_at), by migration AddTurnaroundDurationBins
@Index('scans_to_read_bin', { synchronize: false }) // (duration bin of AI → first read, arrived_at), by migration
@Index('scans_to_final_bin', { synchronize: false }) // (duration bin of arrival → final read, arrived_at), by migration
@Index('scans_turnaround', { synchronize: false }) // (arrived_at) INCLUDE (site and the turnaround timestamps), by migration CoverTurnaroundBinIndexes
@Index(['arrivedAt', 'id'])
@Index(['site', 'arrivedAt'])
@Index(['status', 'arrivedAt'])
export class Scan {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Patient, { nullable: false, onDelete: 'RESTRICT' })
  patient: Relation<Patient>;

  @Index()
  @Column({ type: 'uuid' })
  patientId: string;

  @Field()
  @Index({ unique: true })
  @Column({ type: 'text' })
  studyInstanceUid: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  accessionNumber: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field({ description: 'Sending site or department' })
  @Column({ type: 'text' })
  site: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  manufacturer: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  stationName: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  acquiredAt: Date | null;

  @Field()
  @Column({ type: 'timestamptz', default: () => 'now()' })
  arrivedAt: Date;

  @Field(() => ScanStatusEnum)
  @Column({ type: 'enum', enum: ScanStatusEnum, enumName: 'scan_status', default: 'RECEIVED' })
  status: ScanStatus;

  @Field({ description: 'Queued with one view only: its partner view did not arrive within the pairing wait' })
  @Column({ type: 'boolean', default: false })
  singleView: boolean;

  @Field(() => String, { nullable: true, description: 'Why the scan FAILED, in words a person can act on' })
  @Column({ type: 'text', nullable: true })
  failureReason: string | null;

  @Field(() => Float, { nullable: true, description: "Active model's probability of MBD" })
  @Column({ type: 'double precision', nullable: true })
  aiProbability: number | null;

  @Field(() => AiLabelEnum, { nullable: true })
  @Column({ type: 'enum', enum: AiLabelEnum, enumName: 'ai_label', nullable: true })
  aiLabel: AiLabel | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  predictedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  firstReadAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a non-equivocal verdict was first recorded' })
  @Column({ type: 'timestamptz', nullable: true })
  finalReadAt: Date | null;

  @OneToMany(() => ScanView, (view) => view.scan)
  views: Relation<ScanView[]>;
}
