import type { View } from '@bonescan/clinical';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ViewEnum } from './enums';
import { Scan } from './scan';

@ObjectType('ScanView', { description: 'One planar view of a scan; pixels live in the blob store' })
@Entity('scan_views')
@Index(['scanId', 'view'], { unique: true })
export class ScanView {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Scan, (scan) => scan.views, { nullable: false, onDelete: 'CASCADE' })
  scan: Relation<Scan>;

  @Column({ type: 'uuid' })
  scanId: string;

  @Field(() => ViewEnum)
  @Column({ type: 'enum', enum: ViewEnum, enumName: 'scan_view' })
  view: View;

  /** Content hash of the decoded pixels (Float32, row-major) in the blob store. */
  @Field()
  @Column({ type: 'text' })
  pixelBlobKey: string;

  @Field(() => Int)
  @Column({ type: 'int' })
  width: number;

  @Field(() => Int)
  @Column({ type: 'int' })
  height: number;

  @Field(() => Float, { nullable: true, description: 'Column spacing in mm' })
  @Column({ type: 'double precision', nullable: true })
  pixelSpacingX: number | null;

  @Field(() => Float, { nullable: true, description: 'Row spacing in mm' })
  @Column({ type: 'double precision', nullable: true })
  pixelSpacingY: number | null;

  @Column({ type: 'text' })
  sopInstanceUid: string;
}
