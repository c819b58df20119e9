import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from './user';

@ObjectType({ description: 'A bearer token for an integrator; the secret itself is shown once and stored hashed' })
@Entity('api_tokens')
export class ApiToken {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  /** The account the token acts as; its role bounds what the scopes can grant. */
  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' })
  user: Relation<User>;

  @Column({ type: 'uuid' })
  userId: string;

  /** SHA-256 of the secret: tokens are 256-bit random, so a fast hash is safe and lookups stay O(1). */
  @Index({ unique: true })
  @Column({ type: 'text' })
  tokenHash: string;

  @Field({ description: 'First characters of the token, to recognise it in lists' })
  @Column({ type: 'text' })
  prefix: string;

  @Field(() => [String])
  @Column({ type: 'text', array: true })
  scopes: string[];

  @Field()
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
