import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { sessionToken } from '../../../auth/session-token';
import { portalConfig } from '../../../config';

export const dynamic = 'force-dynamic';

const SCAN_UPDATED = 'subscription ScanUpdated { scanUpdated { id } }';

/**
 * Live worklist updates for the browser as server-sent events. The API offers them as a GraphQL
 * subscription over WebSocket; the portal holds that socket with the reader's session (the browser
 * never talks to the API) and relays each updated scan id. An event `unavailable` tells the page to
 * rely on polling.
 */
export async function GET(request: Request): Promise<Response> {
  const token = await sessionToken();
  if (!token) return new Response('Sign in first', { status: 401 });
  const encoder = new TextEncoder();
  let dispose = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const client = createClient({
        url: portalConfig().API_URL.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false,
        on: { connected: () => send('ready', {}) },
      });
      const unsubscribe = client.subscribe<{ scanUpdated: { id: string } }>(
        { query: SCAN_UPDATED },
        {
          next: ({ data }) => data && send('scan', { id: data.scanUpdated.id }),
          error: () => close(),
          complete: () => close(),
        },
      );
      const close = () => {
        dispose();
        try {
          send('unavailable', {});
          controller.close();
        } catch {
          // the browser has gone already
        }
      };
      dispose = () => {
        unsubscribe();
        void client.dispose();
      };
      request.signal.addEventListener('abort', () => dispose());
    },
    cancel() {
      dispose();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' } });
}
