import { TOKEN_SCOPES } from '@bonescan/clinical';
import { ApiToken, User } from '@bonescan/db';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { SignedInViewer, type Permission, type Viewer } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid, forbidden, notFound } from '../graphql/errors';
import { ApiTokensService } from './api-tokens.service';

@InputType()
export class CreateApiTokenInput {
  @Field()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field(() => [String], { description: `Any of: ${TOKEN_SCOPES.join(', ')}` })
  @ArrayMaxSize(TOKEN_SCOPES.length)
  @IsIn(TOKEN_SCOPES, { each: true, message: `each scope must be one of ${TOKEN_SCOPES.join(', ')}` })
  scopes: string[];

  @Field(() => Int, { defaultValue: 90 })
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays: number;

  @Field(() => ID, {
    nullable: true,
    description: 'The integrator (machine) account the token belongs to and acts as; default: yourself. A token never acts as another person',
  })
  @IsOptional()
  userId?: string | null;
}

@ObjectType()
export class CreatedApiToken {
  @Field(() => ApiToken)
  token: ApiToken;

  @Field({ description: 'The secret: shown this once, stored only as a hash' })
  secret: string;
}

@Resolver(() => ApiToken)
export class ApiTokensResolver {
  @Query(() => [ApiToken])
  @Authorized<Permission>('tokens:manage')
  apiTokens(@Ctx() context: RequestContext): Promise<ApiToken[]> {
    return context.dataSource.getRepository(ApiToken).find({ order: { createdAt: 'DESC' } });
  }

  @Mutation(() => CreatedApiToken)
  @Authorized<Permission>('tokens:manage')
  async createApiToken(
    @Ctx() context: RequestContext,
    @SignedInViewer() viewer: Viewer,
    @Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput,
  ): Promise<CreatedApiToken> {
    const ownerId = input.userId ?? viewer.userId;
    assertUuid(ownerId, 'user', 'userId');
    const owner = await context.dataSource.getRepository(User).findOneBy({ id: ownerId });
    if (!owner) throw notFound('user', ownerId);
    // A token for someone else would let its holder act as that person: verdicts signed by a clinician who never read.
    if (owner.id !== viewer.userId && owner.role !== 'INTEGRATOR') {
      throw forbidden(`An API token acts as its owner: issue one for yourself or for an integrator account, not for ${owner.name}, a ${owner.role}`);
    }
    const created = await new ApiTokensService(context.dataSource).create({ ...viewer, userId: owner.id }, input);
    context.audit.record({ action: 'token.create', entityType: 'api_token', entityId: created.token.id, details: { scopes: created.token.scopes } });
    return created;
  }

  @Mutation(() => ApiToken)
  @Authorized<Permission>('tokens:manage')
  async revokeApiToken(@Ctx() context: RequestContext, @Arg('id', () => ID) id: string): Promise<ApiToken> {
    assertUuid(id, 'API token');
    const token = await new ApiTokensService(context.dataSource).revoke(id);
    context.audit.record({ action: 'token.revoke', entityType: 'api_token', entityId: id });
    return token;
  }
}
