import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '@bonescan/clinical';
import { loadConfig, sessionSecret, type Config } from '@bonescan/config';
import { ModelVersion, User } from '@bonescan/db';
import { createLogger, type Logger } from '@bonescan/logger';
import { createTestDatabase, createTestModelVersion, type TestDatabase, type TestModelVersion } from '@bonescan/db/testing';
import { buildApp, type App } from '../app';
import { hashPassword } from '../auth/passwords';
import type { IngestService } from '../ingest/ingest.service';
import { startIngest } from '../ingest/start-ingest';
import { issuePortalSession } from '../auth/portal-session';

/**
 * What a test reads from `data` when it names no type: tests read answers loosely and state the shape they
 * expect with expect(); one that wants the compiler's help passes its own T. The only `any` the tests' helpers keep.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseAnswer = Record<string, any>;

export interface GraphQLResponse<T = LooseAnswer> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

export interface TestApi {
  app: App;
  db: TestDatabase;
  config: Config;
  graphql<T = LooseAnswer>(
    query: string,
    variables?: Record<string, unknown>,
    credential?: string,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Creates a user of the role and returns it with a portal session token for it. */
  signInAs(role: Role, password?: string): Promise<{ user: User; session: string }>;
  createModelVersion(overrides?: TestModelVersion): Promise<ModelVersion>;
  /** DICOM ingest (queue, blob store in a temporary folder) when started with `ingest: true`; DICOMweb is served then. */
  ingest?: IngestService;
  close(): Promise<void>;
}

let userCounter = 0;

/**
 * A real API on a real, freshly migrated PostgreSQL database of its own, on a free port, with a
 * random session secret of its own as a deployment has (`env` may replace or unset any variable).
 */
export async function startTestApi(
  options: {
    onQuery?: (sql: string) => void;
    env?: Record<string, string | undefined>;
    ingest?: boolean;
    /** Where the API logs, for tests that read its log lines. */ logger?: Logger;
  } = {},
): Promise<TestApi> {
  const db = await createTestDatabase({ onQuery: options.onQuery });
  const blobRoot = options.ingest ? fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-blobs-')) : undefined;
  const secret = randomBytes(32).toString('base64url');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    API_PORT: '0',
    AUTH_SECRET: secret,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(blobRoot ? { BLOB_DIR: blobRoot } : {}),
    ...options.env,
  });
  const ingest = options.ingest ? await startIngest({ config, dataSource: db.dataSource, logger: createLogger('api', config.LOG_LEVEL) }) : undefined;
  const app = await buildApp({ config, dataSource: db.dataSource, ingest: ingest?.service, logger: options.logger }).catch(async (error: unknown) => {
    await ingest?.stop(); // its queue would otherwise keep polling a database about to be dropped
    await db.drop();
    if (blobRoot) fs.rmSync(blobRoot, { recursive: true, force: true });
    throw error;
  });

  const graphql: TestApi['graphql'] = async (query, variables, credential, headers = {}) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers, ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };

  return {
    app,
    db,
    config,
    graphql,
    ingest: ingest?.service,
    async signInAs(role, password) {
      userCounter += 1;
      const user = await db.dataSource.getRepository(User).save({
        email: `${role.toLowerCase()}${userCounter}@hospital.test`,
        name: `Test ${role.toLowerCase()} ${userCounter}`,
        role,
        passwordHash: password ? await hashPassword(password) : null,
        active: true,
      });
      return { user, session: await issuePortalSession(user.id, sessionSecret(config)) };
    },
    createModelVersion(overrides = {}) {
      return createTestModelVersion(db.dataSource, overrides);
    },
    async close() {
      await app.shutdown();
      await ingest?.stop();
      await db.drop();
      if (blobRoot) fs.rmSync(blobRoot, { recursive: true, force: true });
    },
  };
}
