import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from './user';

/**
 * A hospital single sign-on identity (the identity provider's issuer and subject) linked to a platform account.
 * Matched once by e-mail (or the configured claim), then by this pair alone: an e-mail can be reassigned at the
 * hospital, a subject cannot.
 */
@Entity('user_identities')
@Index('user_identities_issuer_subject_unique', ['issuer', 'subject'], { unique: true })
export class UserIdentity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'user_identities_pkey' })
  id: string;

  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ foreignKeyConstraintName: 'user_identities_user_fk' })
  user: Relation<User>;

  @Index('user_identities_user_id_index')
  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  issuer: string;

  @Column({ type: 'text' })
  subject: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
