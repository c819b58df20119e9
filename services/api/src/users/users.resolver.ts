import type { Role } from '@bonescan/clinical';
import { RoleEnum, User } from '@bonescan/db';
import { IsEmail, IsOptional, MaxLength, MinLength } from 'class-validator';
import { Arg, Authorized, Ctx, Field, InputType, Mutation, Query, Resolver } from 'type-graphql';
import type { Permission } from '../auth/viewer';
import { ACCOUNT_BACK_OFF, ADDRESS_BACK_OFF } from '../auth/sign-in-limiter';
import type { RequestContext } from '../graphql/context';
import { clientError, unauthenticated } from '../graphql/errors';
import { recordAuditEvent } from '../audit/record-event';
import { UsersService } from './users.service';

@InputType()
export class CreateUserInput {
  @Field()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email: string;

  @Field()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => String, { nullable: true, description: 'Omit for accounts that sign in only through single sign-on' })
  @IsOptional()
  @MaxLength(200)
  password?: string | null;
}

/**
 * A refused password sign-in names the e-mail as typed: whether an account has it must not show in the row's shape.
 * Sign-ins refused by the limiter write nothing, so that a flood of guesses cannot flood the audit table too.
 */
const refuseSignIn = (context: RequestContext, email: string, reason: 'wrong-credentials') =>
  recordAuditEvent(context.dataSource.manager, {
    actorUserId: null,
    action: 'user.sign-in-refused',
    entityType: 'user',
    entityId: `email:${email.trim().toLowerCase()}`,
    details: { method: 'password', reason },
  });

@Resolver(() => User)
export class UsersResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user; null when the request carries no credentials' })
  me(@Ctx() context: RequestContext): Promise<User | null> | null {
    return context.viewer ? context.loaders.user.load(context.viewer.userId) : null;
  }

  @Query(() => [User])
  @Authorized<Permission>('users:manage')
  users(@Ctx() context: RequestContext): Promise<User[]> {
    return context.dataSource.getRepository(User).find({ order: { name: 'ASC' } });
  }

  @Mutation(() => User)
  @Authorized<Permission>('users:manage')
  async createUser(@Ctx() context: RequestContext, @Arg('input', () => CreateUserInput) input: CreateUserInput): Promise<User> {
    const user = await new UsersService(context.dataSource).create(input);
    context.audit.record({ action: 'user.create', entityType: 'user', entityId: user.id, details: { role: user.role } });
    return user;
  }

  @Mutation(() => User, { description: 'Check an e-mail and password (the portal’s credentials sign-in); rate-limited' })
  async signIn(@Ctx() context: RequestContext, @Arg('email') email: string, @Arg('password') password: string): Promise<User> {
    const account = `email:${email.trim().toLowerCase()}`;
    const waitMs =
      (await context.signInLimiter.admit(`address:${context.clientAddress}`, ADDRESS_BACK_OFF)) ||
      (await context.signInLimiter.admit(account, ACCOUNT_BACK_OFF));
    if (waitMs > 0) {
      throw clientError('RATE_LIMITED', `Too many failed sign-ins: try again in ${Math.ceil(waitMs / 1000)} second(s)`, { retryAfterMs: waitMs });
    }
    const user = await new UsersService(context.dataSource).verifyCredentials(email, password);
    if (!user) {
      await refuseSignIn(context, email, 'wrong-credentials');
      throw unauthenticated('E-mail or password is incorrect');
    }
    await context.signInLimiter.clear(account);
    await recordAuditEvent(context.dataSource.manager, {
      actorUserId: user.id,
      action: 'user.sign-in',
      entityType: 'user',
      entityId: user.id,
      details: { method: 'password' },
    });
    return user;
  }
}
