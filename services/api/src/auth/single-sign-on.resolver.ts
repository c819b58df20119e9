import { User } from '@bonescan/db';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { clientError } from '../graphql/errors';
import { SingleSignOn, SingleSignOnRefused } from './single-sign-on';

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
}
