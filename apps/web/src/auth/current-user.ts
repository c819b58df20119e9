import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { graphql, type ResultOf } from '../graphql/graphql';
import { ApiError } from '../graphql/request';
import { queryAsViewer } from '../graphql/server';
import { PORTAL_PATH_HEADER } from './portal-path';

const Me = graphql(`
  query Me {
    me {
      id
      name
      email
      role
    }
  }
`);

export type CurrentUser = NonNullable<ResultOf<typeof Me>['me']>;

/**
 * The signed-in user as the API knows them (the role comes from the API, never from the cookie).
 * No session, or one the API no longer accepts, sends the reader to sign in.
 */
export const currentUser = cache(async (): Promise<CurrentUser> => {
  try {
    const { me } = await queryAsViewer(Me, {});
    if (me) return me;
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'UNAUTHENTICATED')) throw error;
  }
  // Back to the page the reader asked for once they have signed in (the proxy names it).
  const path = (await headers()).get(PORTAL_PATH_HEADER) ?? '/worklist';
  redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
});
