import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Scan } from './scan';

/** An original DICOM object as received; its SOP Instance UID makes ingest idempotent. */
@Entity('dicom_instances')
export class DicomInstance {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'text' })
  sopInstanceUid: string;

  @ManyToOne(() => Scan, { nullable: false, onDelete: 'CASCADE' })
  scan: Relation<Scan>;

  @Index()
  @Column({ type: 'uuid' })
  scanId: string;

  @Column({ type: 'text' })
  seriesInstanceUid: string;

  @Column({ type: 'text' })
  sopClassUid: string;

  @Column({ type: 'text' })
  transferSyntaxUid: string;

  /** Content hash of the original Part 10 bytes in the blob store. */
  @Column({ type: 'text' })
  blobKey: string;

  @Column({ type: 'int' })
  sizeBytes: number;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;
}
