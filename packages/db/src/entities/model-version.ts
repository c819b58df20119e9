import { Field, Float, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ModelVersionStatus } from '@bonescan/clinical';
import { ModelVersionStatusEnum } from './enums';

@ObjectType({ description: 'A trained model registered with the platform, with its model card' })
@Entity('model_versions')
@Index(['name', 'version'], { unique: true })
@Index('model_versions_one_active', { synchronize: false }) // unique WHERE status = 'ACTIVE', by migration
export class ModelVersion {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field()
  @Column({ type: 'text' })
  version: string;

  @Field({ description: 'vgg16 or vgg16-compact' })
  @Column({ type: 'text' })
  architecture: string;

  /** Folder holding model.json, weights and the model card, as the inference workers see it. */
  @Column({ type: 'text' })
  path: string;

  @Field(() => Float, { description: 'Probability at or above which the model calls MBD' })
  @Column({ type: 'double precision' })
  threshold: number;

  @Field(() => ModelVersionStatusEnum)
  @Column({ type: 'enum', enum: ModelVersionStatusEnum, enumName: 'model_version_status', default: 'INACTIVE' })
  status: ModelVersionStatus;

  @Field({ description: 'Trained on synthetic phantoms: research use only' })
  @Column({ type: 'boolean' })
  syntheticData: boolean;

  @Field(() => GraphQLJSONObject)
  @Column({ type: 'jsonb' })
  card: Record<string, unknown>;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
