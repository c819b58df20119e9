import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A patient as identified by the sending hospital system' })
@Entity('patients')
@Index(['issuer', 'patientId'], { unique: true })
export class Patient {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Issuer of the patient ID (DICOM 0010,0021); empty when the sender gives none. */
  @Column({ type: 'text', default: '' })
  issuer: string;

  @Field({ description: 'Medical record number (DICOM Patient ID)' })
  @Column({ type: 'text' })
  patientId: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  sex: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
