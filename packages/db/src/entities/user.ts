import type { Role } from '@bonescan/clinical';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { RoleEnum } from './enums';

@ObjectType({ description: 'A person or system account that signs in to the platform' })
@Entity('users')
@Index('users_email_lower_unique', { synchronize: false })
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored as given; uniqueness is case-insensitive (index on lower(email), created by migration). */
  @Field()
  @Column({ type: 'text' })
  email: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Field(() => RoleEnum)
  @Column({ type: 'enum', enum: RoleEnum, enumName: 'user_role' })
  role: Role;

  /** argon2id hash; null for accounts that sign in only through single sign-on. */
  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  @Field()
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
