import { TOKEN_SCOPES } from '@bonescan/clinical';
import { getNamedType, isEnumType, isInputObjectType, isListType, isLeafType, isNonNullType, type GraphQLField, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import type { Permission } from './auth/viewer';
import { buildApiSchema } from './resolvers';
import type { GraphQLResponse } from './testing/test-api';
import { testApiOfFile } from './testing/test-api-of-file';

/**
 * Who may call what, written out by hand from the roles and token scopes the README promises: the oracle
 * the resolvers' `@Authorized` declarations are checked against. `null` marks the operations anyone may call.
 */
const REQUIRED_PERMISSION: Record<string, Permission | null> = {
  // Query
  me: null,
  users: 'users:manage',
  apiTokens: 'tokens:manage',
  worklist: 'scans:read',
  scan: 'scans:read',
  patient: 'scans:read',
  modelVersions: 'scans:read',
  turnaround: 'analytics:read',
  agreement: 'analytics:read',
  diagnosticPerformance: 'analytics:read',
  thresholdSimulation: 'analytics:read',
  readerStudies: 'reviews:write',
  readerStudyQueue: 'reviews:write',
  readerStudyResults: 'analytics:read',
  sampleBalancedCases: 'reader-studies:manage',
  // Mutation
  signIn: null,
  signInWithSingleSignOn: null,
  signOut: null,
  createUser: 'users:manage',
  createApiToken: 'tokens:manage',
  revokeApiToken: 'tokens:manage',
  submitReview: 'reviews:write',
  recordGroundTruth: 'ground-truth:write',
  registerModelVersion: 'models:manage',
  setModelVersionStatus: 'models:manage',
  rerunModelVersion: 'models:manage',
  createReaderStudy: 'reader-studies:manage',
  closeReaderStudy: 'reader-studies:manage',
  submitReaderStudyReading: 'reviews:write',
  // Subscription
  scanUpdated: 'scans:read',
};

/** A well-typed value for an argument. Ids are not UUIDs, so a call that gets past the access check stops at once. */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((field) => isNonNullType(field.type) && field.defaultValue === undefined);
    return Object.fromEntries(required.map((field) => [field.name, sampleValue(field.type)]));
  }
  const scalars: Record<string, unknown> = { ID: 'not-a-uuid', String: 'x', Int: 1, Float: 0.5, Boolean: false, DateTimeISO: '2026-01-01T00:00:00.000Z', JSONObject: {} };
  if (!(type.name in scalars)) throw new Error(`no sample value for scalar ${type.name}: add one`);
  return scalars[type.name];
}

interface Operation {
  kind: 'query' | 'mutation' | 'subscription';
  name: string;
  document: string;
  variables: Record<string, unknown>;
}

/** A document calling one root field with every required argument (and every id, so subscriptions check theirs too). */
function operationOf(kind: Operation['kind'], field: GraphQLField<unknown, unknown>): Operation {
  const args = field.args.filter((arg) => (isNonNullType(arg.type) && arg.defaultValue === undefined) || getNamedType(arg.type).name === 'ID');
  const declared = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    kind,
    name: field.name,
    document: `${kind} Probe${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((arg) => [arg.name, sampleValue(arg.type)])),
  };
}

function rootOperations(schema: GraphQLSchema): Operation[] {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  return roots.flatMap(([kind, type]) => Object.values(type?.getFields() ?? {}).map((field) => operationOf(kind, field)));
}

describe('access to every operation', () => {
  const api = testApiOfFile();
  let operations: Operation[];
  let adminSession: string;
  /** API tokens of an admin: one holding every scope but the named one, one holding only it. */
  const tokens = new Map<string, { without: string; only?: string }>();

  /** Subscriptions go over graphql-ws, as the portal sends them; the first message or error is the answer. */
  async function subscribe(operation: Operation, credential?: string): Promise<GraphQLResponse> {
    const client = createClient({
      url: `${api.app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: credential ? { authorization: `Bearer ${credential}` } : {},
      retryAttempts: 0,
    });
    try {
      return await new Promise<GraphQLResponse>((resolve) => {
        client.subscribe(
          { query: operation.document, variables: operation.variables },
          {
            next: (value) => resolve({ status: 200, ...(value as object) }),
            error: (errors) => resolve({ status: 200, errors: errors as GraphQLResponse['errors'] }),
            complete: () => resolve({ status: 200 }),
          },
        );
      });
    } finally {
      await client.dispose();
    }
  }

  const send = (operation: Operation, credential?: string): Promise<GraphQLResponse> =>
    operation.kind === 'subscription' ? subscribe(operation, credential) : api.graphql(operation.document, operation.variables, credential);

  beforeAll(async () => {
    operations = rootOperations(await buildApiSchema());
    const admin = await api.signInAs('ADMIN');
    adminSession = admin.session;
    const service = new ApiTokensService(api.db.dataSource);
    const issue = async (scopes: string[]) => (await service.create({ userId: admin.user.id, role: 'ADMIN' }, { name: 'access probe', scopes, expiresInDays: 1 })).secret;
    for (const permission of new Set(Object.values(REQUIRED_PERMISSION))) {
      if (!permission) continue;
      const tokenScope = (TOKEN_SCOPES as readonly string[]).includes(permission);
      tokens.set(permission, {
        without: await issue(TOKEN_SCOPES.filter((scope) => scope !== permission)),
        only: tokenScope ? await issue([permission]) : undefined,
      });
    }
  });

  it('names every operation of the schema in the table, and nothing else', () => {
    expect(operations.map((operation) => operation.name).sort()).toEqual(Object.keys(REQUIRED_PERMISSION).sort());
  });

  it.each(Object.entries(REQUIRED_PERMISSION).filter(([, permission]) => permission !== null))(
    '%s: refused without credentials and for a caller lacking %s, not for one holding it',
    async (name, permission) => {
      const operation = operations.find((candidate) => candidate.name === name)!;
      const { without, only } = tokens.get(permission!)!;

      const anonymous = await send(operation);
      expect(anonymous.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/^Sign in, or send an API token/) });

      const lacking = await send(operation, without);
      expect(lacking.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: `${permission} is not allowed for this API token` });

      // Tokens never carry the managing permissions: an admin's own session holds them.
      const holding = await send(operation, only ?? adminSession);
      expect(holding.errors?.[0]?.extensions?.code ?? 'none').not.toMatch(/^(UNAUTHENTICATED|FORBIDDEN)$/);
    },
  );

  it.each(Object.entries(REQUIRED_PERMISSION).filter(([, permission]) => permission === null))('%s: open to a caller without credentials', async (name) => {
    const answer = await send(operations.find((candidate) => candidate.name === name)!);
    expect(answer.errors?.[0]?.extensions?.code).not.toBe('FORBIDDEN');
    expect(answer.errors?.[0]?.message ?? '').not.toMatch(/Sign in, or send an API token/);
  });
});
