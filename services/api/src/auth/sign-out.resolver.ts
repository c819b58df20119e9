import { Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { forgetSession } from './authenticate';
import { endPortalSession } from './portal-session';

@Resolver()
export class SignOutResolver {
  @Mutation(() => Boolean, {
    description:
      'Ends the portal session the request came with (the portal’s sign-out): its token is refused from then on, wherever it was copied to. ' +
      'False when the request carries no session; an API token is revoked with revokeApiToken instead',
  })
  async signOut(@Ctx() context: RequestContext): Promise<boolean> {
    const { viewer } = context;
    if (!viewer) return false;
    if (!viewer.sessionId) throw badInput('Only a portal session signs out: revoke an API token with revokeApiToken');
    await endPortalSession(viewer.sessionId, context.dataSource);
    forgetSession(viewer.sessionId);
    context.audit.record({ action: 'user.sign-out', entityType: 'user', entityId: viewer.userId, details: { method: 'portal', sessionId: viewer.sessionId } });
    return true;
  }
}
