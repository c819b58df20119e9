import type { AiLabel, BodyRegion, View } from '@bonescan/clinical';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AiLabelEnum, ViewEnum } from './enums';
import { ModelVersion } from './model-version';
import { Scan } from './scan';

@ObjectType({
  description:
    'A peak of the Grad-CAM heat map: where the model looked. x and y are in the model’s space of one view, like the heat map: the view stretched to 256 wide × 512 high (MODEL_INPUT), whatever the view’s own size; a point (x, y) lies at the fraction ((x + 0.5) / 256, (y + 0.5) / 512) of the view’s width and height',
})
export class Hotspot {
  @Field(() => ViewEnum)
  view: View;

  @Field(() => Int, { description: 'Column in the model’s 256-wide space of the view (not the view’s own pixels)' })
  x: number;

  @Field(() => Int, { description: 'Row in the model’s 512-high space of the view (not the view’s own pixels: a 1024-row view is twice as tall)' })
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

  @Field(() => Float, { description: 'The model version’s operating threshold: probability ≥ threshold is called MBD' })
  @Column({ type: 'double precision' })
  threshold: number;

  @Field({ description: 'TensorFlow.js backend (or runtime) that computed it' })
  @Column({ type: 'text' })
  backend: string;

  @Field(() => Float)
  @Column({ type: 'double precision' })
  latencyMs: number;

  @Field(() => String, {
    nullable: true,
    description: 'Blob key of the Grad-CAM heat map (one 256 × 512 map per view, the hotspots’ space); null when none was computed',
  })
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
