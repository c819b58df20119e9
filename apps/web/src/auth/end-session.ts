import type { Config } from '@bonescan/config';
import { graphql } from '../graphql/graphql';
import { ApiError, postGraphQL } from '../graphql/request';

const SignOut = graphql(`
  mutation SignOut {
    signOut
  }
`);

/**
 * Tells the API that the session of this token has ended, so the token is refused wherever it was copied to.
 * False only when the API could not be told; a session that had ended or expired already counts as ended.
 */
export async function endApiSession(config: Config, token: string): Promise<boolean> {
  try {
    await postGraphQL(`${config.API_URL}/graphql`, SignOut, {}, { authorization: `Bearer ${token}` });
    return true;
  } catch (error) {
    return error instanceof ApiError && error.code === 'UNAUTHENTICATED';
  }
}
