import type { AiLabel, BodyRegion, View } from '@bonescan/clinical';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AiLabelEnum, ViewEnum } from './enums';
import { ModelVersion } from './model-version';
import { Scan } from './scan';

@ObjectType({ description: 'A peak of the Grad-CAM heat map: where the model looked' })
export class Hotspot {
  @Field(() => ViewEnum)
  view: View;

  @Field(() => Int, { description: 'Column in the view, in the view’s own pixels' })
  x: number;

  @Field(() => Int, { description: 'Row in the view, in the view’s own pixels' })
  y: number;

  @Field(() => Float, { description: 'Heat-map value at the peak, 0–1' })
  intensity: number;

  @Field(() => String, { description: 'Body region of the peak (BODY_REGIONS)' })
  region: BodyRegion;
}

/** The model's call on one scan. One per scan and model version, enforced by a unique constraint. */
@ObjectType()
@Entity('predictions')
@Index(['scanId', 'modelVersionId'], { unique: true })
@Index('predictions_analytics', { synchronize: false }) // (model_version_id, scan_arrived_at) INCLUDE (...), by migration
@Index('predictions_probability_band', { synchronize: false }) // (model_version_id, analytics_probability_band(probability)) INCLUDE (...), by migration
export class Prediction {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Scan, { nullable: false, onDelete: 'CASCADE' })
  scan: Relation<Scan>;

  @Column({ type: 'uuid' })
  scanId: string;

  @Field(() => ModelVersion)
  @ManyToOne(() => ModelVersion, { nullable: false, onDelete: 'RESTRICT' })
  modelVersion: Relation<ModelVersion>;

  @Index()
  @Column({ type: 'uuid' })
  modelVersionId: string;

  @Field(() => Float, { description: 'Probability of metastatic bone disease' })
  @Column({ type: 'double precision' })
  probability: number;

  @Field(() => AiLabelEnum)
  @Column({ type: 'enum', enum: AiLabelEnum, enumName: 'prediction_label' })
  label: AiLabel;

  @Field(() => Float)
  @Column({ type: 'double precision' })
  threshold: number;

  @Field({ description: 'TensorFlow.js backend (or runtime) that computed it' })
  @Column({ type: 'text' })
  backend: string;

  @Field(() => Float)
  @Column({ type: 'double precision' })
  latencyMs: number;

  @Field(() => String, { nullable: true, description: 'Blob key of the Grad-CAM heat map' })
  @Column({ type: 'text', nullable: true })
  heatmapBlobKey: string | null;

  @Field(() => [Hotspot])
  @Column({ type: 'jsonb', default: () => "'[]'" })
  hotspots: Hotspot[];

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /**
   * Copies of the scan's arrival and ground truth, kept by database triggers (migration
   * AddAnalyticsTriggers), never written by the application: analytics over a date range then read
   * one index instead of joining a year of scans, predictions and ground truths.
   */
  @Column({ type: 'timestamptz', nullable: true, insert: false, update: false, select: false })
  scanArrivedAt: Date | null;

  @Column({ type: 'boolean', nullable: true, insert: false, update: false, select: false })
  groundTruthMbd: boolean | null;
}
