import type { GroundTruthSource } from '@bonescan/clinical';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { GroundTruthSourceEnum } from './enums';
import { Scan } from './scan';
import { User } from './user';

@ObjectType({ description: 'The definitive diagnosis of a scan, established later' })
@Entity('ground_truths')
export class GroundTruth {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Scan, { nullable: false, onDelete: 'CASCADE' })
  scan: Relation<Scan>;

  @Index({ unique: true })
  @Column({ type: 'uuid' })
  scanId: string;

  @Field({ description: 'Metastatic bone disease confirmed' })
  @Column({ type: 'boolean' })
  mbd: boolean;

  @Field(() => GroundTruthSourceEnum)
  @Column({ type: 'enum', enum: GroundTruthSourceEnum, enumName: 'ground_truth_source' })
  source: GroundTruthSource;

  @Field({ description: 'YYYY-MM-DD' })
  @Column({ type: 'date' })
  diagnosedOn: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @ManyToOne(() => User, { nullable: false, onDelete: 'RESTRICT' })
  recordedBy: Relation<User>;

  @Column({ type: 'uuid' })
  recordedById: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
