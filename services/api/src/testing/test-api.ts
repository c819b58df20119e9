import type { Role } from '@bonescan/clinical';
import { loadConfig, type Config } from '@bonescan/config';
import { ModelVersion, User } from '@bonescan/db';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { buildApp, type App } from '../app';
import { hashPassword } from '../auth/passwords';
import { issuePortalSession } from '../auth/portal-session';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

export interface TestApi {
  app: App;
  db: TestDatabase;
  config: Config;
  graphql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, credential?: string): Promise<GraphQLResponse<T>>;
  /** Creates a user of the role and returns it with a portal session token for it. */
  signInAs(role: Role, password?: string): Promise<{ user: User; session: string }>;
  createModelVersion(overrides?: Partial<ModelVersion>): Promise<ModelVersion>;
  close(): Promise<void>;
}

let userCounter = 0;

/** A real API on a real, freshly migrated PostgreSQL database of its own, on a free port. */
export async function startTestApi(options: { onQuery?: (sql: string) => void; env?: Record<string, string> } = {}): Promise<TestApi> {
  const db = await createTestDatabase({ onQuery: options.onQuery });
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url, API_PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...options.env });
  const app = await buildApp({ config, dataSource: db.dataSource });

  const graphql: TestApi['graphql'] = async (query, variables, credential) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };

  return {
    app,
    db,
    config,
    graphql,
    async signInAs(role, password) {
      userCounter += 1;
      const user = await db.dataSource.getRepository(User).save({
        email: `${role.toLowerCase()}${userCounter}@hospital.test`,
        name: `Test ${role.toLowerCase()} ${userCounter}`,
        role,
        passwordHash: password ? await hashPassword(password) : null,
        active: true,
      });
      return { user, session: await issuePortalSession(user.id, config.AUTH_SECRET) };
    },
    createModelVersion(overrides = {}) {
      return db.dataSource.getRepository(ModelVersion).save({
        name: 'bonescan-vgg16-compact',
        version: `test-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
        architecture: 'vgg16-compact',
        path: '/nonexistent',
        threshold: 0.5,
        status: 'ACTIVE',
        syntheticData: true,
        card: {},
        ...overrides,
      });
    },
    async close() {
      await app.shutdown();
      await db.drop();
    },
  };
}
