import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who read or changed what, and when: one row per request, written for every read of patient data. A request that
 * read many records (a worklist page) names them all in entityIds and patientIds instead of writing a row each.
 */
@Entity('audit_events')
@Index(['at'])
@Index(['entityType', 'entityId'])
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorTokenId: string | null;

  /** e.g. scan.read, patient.read, review.create, token.revoke; a request that did several joins them with '+' */
  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  entityType: string;

  @Column({ type: 'text' })
  entityId: string;

  /** Every record the request read or changed; entityId is the first of them. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  entityIds: string[];

  /** The one patient the request concerned, when it concerned exactly one (see patientIds). */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  patientId: string | null;

  /** Every patient whose data the request read or changed. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  patientIds: string[];

  /** The caller's address (as the portal stated it, or the connection's peer), null for the admin command line. */
  @Column({ type: 'text', nullable: true })
  clientAddress: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
