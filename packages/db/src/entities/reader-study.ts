import type { ReaderStudyMode, ReaderStudyStatus } from '@bonescan/clinical';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ReaderStudyModeEnum, ReaderStudyStatusEnum } from './enums';
import { Scan } from './scan';
import { User } from './user';

/**
 * A reader study as in the paper: a fixed case list read by several physicians, blinded to or aided
 * by the AI. Each reader sees the cases in an order shuffled from `seed` and their own id, so no
 * order needs storing and two readers never share one.
 */
@ObjectType({ description: 'A fixed set of cases read by several readers, blinded to or aided by the AI' })
@Entity('reader_studies')
export class ReaderStudy {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field(() => ReaderStudyModeEnum)
  @Column({ type: 'enum', enum: ReaderStudyModeEnum, enumName: 'reader_study_mode' })
  mode: ReaderStudyMode;

  @Field(() => ReaderStudyStatusEnum)
  @Column({ type: 'enum', enum: ReaderStudyStatusEnum, enumName: 'reader_study_status', default: 'OPEN' })
  status: ReaderStudyStatus;

  /** Seed of every reader's case order; drawn once when the study is created. */
  @Column({ type: 'int' })
  seed: number;

  @ManyToOne(() => User, { nullable: false, onDelete: 'RESTRICT' })
  createdBy: Relation<User>;

  @Column({ type: 'uuid' })
  createdById: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** One scan of a reader study, at its place in the study's case list. */
@Entity('reader_study_cases')
@Index(['readerStudyId', 'scanId'], { unique: true })
@Index(['readerStudyId', 'position'], { unique: true })
export class ReaderStudyCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => ReaderStudy, { nullable: false, onDelete: 'CASCADE' })
  readerStudy: Relation<ReaderStudy>;

  @Column({ type: 'uuid' })
  readerStudyId: string;

  @ManyToOne(() => Scan, { nullable: false, onDelete: 'RESTRICT' })
  scan: Relation<Scan>;

  @Index()
  @Column({ type: 'uuid' })
  scanId: string;

  /** 1-based place in the case list as created (before each reader's shuffle). */
  @Column({ type: 'int' })
  position: number;
}
