/**
 * The portal's production server: Next.js behind one guard. The portal states to the API the address it saw the
 * browser at, taken from X-Forwarded-For, and Next.js fills that header from the socket only when the client did
 * not send one. So unless a trusted proxy in front overwrites it, the address headers a browser sends are dropped
 * here and the address stated is the socket's.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import { loadConfig } from '@bonescan/config';
import next from 'next';

const CLIENT_ADDRESS_HEADERS = ['x-forwarded-for', 'x-real-ip', 'forwarded'];

/** Removes every header by which a client could claim an address other than the socket's. */
function dropClaimedAddress(request: IncomingMessage): void {
  for (const name of CLIENT_ADDRESS_HEADERS) delete request.headers[name];
}

async function main(): Promise<void> {
  // The options `next start` takes, so that every place that starts the portal passes the same ones.
  const { values } = parseArgs({
    options: { port: { type: 'string', short: 'p', default: '3000' }, hostname: { type: 'string', short: 'H', default: '0.0.0.0' } },
  });
  const port = Number(values.port);
  const trustProxy = loadConfig().PORTAL_TRUST_PROXY;
  const app = next({ dir: __dirname, dev: false, hostname: values.hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  createServer((request, response) => {
    if (!trustProxy) dropClaimedAddress(request);
    void handle(request, response);
  }).listen(port, values.hostname);
}

main().catch((error: unknown) => {
  process.stderr.write(`The portal could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
