import { User } from '@bonescan/db';
import { Arg, Ctx, Mutation, registerEnumType, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { clientError, forbidden, unauthenticated } from '../graphql/errors';
import { PortalSignInRefusal, SingleSignOn, SingleSignOnRefused } from './single-sign-on';

registerEnumType(PortalSignInRefusal, { name: 'PortalSignInRefusal', description: 'Why the portal refused a hospital single sign-on itself' });

const PORTAL_ONLY = 'Only the BoneScan portal may record a refused single sign-on';

@Resolver()
export class SingleSignOnResolver {
  @Mutation(() => User, {
    description:
      'The platform account of a hospital single sign-on (the portal’s OIDC sign-in): the ID token is checked against the configured issuer’s keys. ' +
      'Refusals are UNAUTHENTICATED with a `reason` extension',
  })
  async signInWithSingleSignOn(@Ctx() context: RequestContext, @Arg('idToken') idToken: string): Promise<User> {
    try {
      return await new SingleSignOn(context.dataSource, context.config).signIn(idToken);
    } catch (error) {
      if (error instanceof SingleSignOnRefused) throw clientError('UNAUTHENTICATED', error.message, { reason: error.reason });
      throw error;
    }
  }

  @Mutation(() => Boolean, {
    description:
      'Audits a hospital single sign-on the portal refused before asking the API (a tampered nonce, the identity provider down or ' +
      'refusing the portal’s client). Only the portal may call it: the request must carry its signed statement of the browser’s address',
  })
  async recordSingleSignOnRefusal(@Ctx() context: RequestContext, @Arg('reason', () => PortalSignInRefusal) reason: PortalSignInRefusal): Promise<boolean> {
    if (!context.portalClientAddress) throw context.viewer ? forbidden(PORTAL_ONLY) : unauthenticated(PORTAL_ONLY);
    await new SingleSignOn(context.dataSource, context.config).recordPortalRefusal(reason, context.portalClientAddress);
    return true;
  }
}
