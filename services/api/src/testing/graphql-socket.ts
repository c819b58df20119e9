import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLResponse, TestApi } from './test-api';

export interface GraphQLSocket {
  client: Client;
  /** The first result (or the errors) of an operation sent over the socket. */
  first(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Resolves with the close code and reason once the server closes the socket. */
  closed: Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/** A real graphql-ws client on the test API's /graphql, as the portal opens one: connected before it returns, never retrying. */
export async function openGraphQLSocket(api: TestApi, credential?: string): Promise<GraphQLSocket> {
  let onClosed: (event: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  let client!: Client;
  const connected = new Promise<void>((resolve, reject) => {
    client = createClient({
      url: `${api.app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: credential ? { authorization: `Bearer ${credential}` } : {},
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined, // a closing socket is reported through `closed`
      on: {
        connected: () => resolve(),
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          onClosed({ code, reason: String(reason) });
          reject(new Error(`socket closed before it was acknowledged: ${code} ${String(reason)}`));
        },
      },
    });
  });
  await connected;
  return {
    client,
    closed,
    first: (query, variables) =>
      new Promise<GraphQLResponse>((resolve) => {
        client.subscribe(
          { query, variables },
          {
            next: (value) => resolve({ status: 200, ...(value as object) }),
            error: (errors) => resolve({ status: 200, errors: (Array.isArray(errors) ? errors : [{ message: String(errors) }]) as GraphQLResponse['errors'] }),
            complete: () => resolve({ status: 200 }),
          },
        );
      }),
    dispose: () => client.dispose() as Promise<void>,
  };
}
