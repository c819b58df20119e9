import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from './user';

/**
 * A portal sign-in as the API knows it. The portal names the session with a random id inside its session cookie;
 * the API records it when it first sees it (right after sign-in) and accepts the cookie only while the session has
 * neither ended (sign-out) nor expired, so a copied cookie stops working at the API when its owner signs out.
 */
@Entity('portal_sessions')
export class PortalSession {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'portal_sessions_pkey' })
  id: string;

  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ foreignKeyConstraintName: 'portal_sessions_user_fk' })
  user: Relation<User>;

  @Index('portal_sessions_user_id_index')
  @Column({ type: 'uuid' })
  userId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Sign-in time plus the session lifetime (SESSION_MAX_AGE_MINUTES); a portal that renews its cookie does not move it. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
