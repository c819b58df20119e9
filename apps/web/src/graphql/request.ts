import type { TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';

/** Why a GraphQL call failed, in the terms the pages act on. */
export type ApiErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'RATE_LIMITED' | 'API_UNREACHABLE' | 'INTERNAL';

export class ApiError extends Error {
  /** `reason` is the API's finer word on some refusals, e.g. why a single sign-on was not let in. */
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

interface GraphQLBody {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
}

const KNOWN_CODES = new Set<string>(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'RATE_LIMITED', 'API_UNREACHABLE']);

/** Sends one typed operation to a GraphQL endpoint; errors become ApiError with the server's own message. */
export async function postGraphQL<Result, Variables>(
  url: string,
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  headers: Record<string, string> = {},
): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: print(document), variables }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('API_UNREACHABLE', 'The BoneScan API cannot be reached: check that it is running');
  }
  const body = (await response.json().catch(() => ({}))) as GraphQLBody;
  const [first] = body.errors ?? [];
  if (first) {
    const code = String(first.extensions?.code ?? '');
    throw new ApiError(KNOWN_CODES.has(code) ? (code as ApiErrorCode) : 'INTERNAL', first.message, first.extensions?.reason);
  }
  if (!response.ok || !body.data) throw new ApiError('INTERNAL', `The API answered ${response.status} without data`);
  return body.data as Result;
}
