import { TOKEN_SCOPES, type Role } from '@bonescan/clinical';
import { createTestScan } from '@bonescan/db/testing';
import type { Express } from 'express';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isLeafType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import { buildApiSchema } from './resolvers';
import type { GraphQLResponse } from './testing/test-api';
import { testApiOfFile } from './testing/test-api-of-file';

/** Who calls: a person of each role through a portal session, integrators through API tokens, and nobody. */
const CALLERS = ['ADMIN', 'LEAD', 'CLINICIAN', 'INTEGRATOR', 'READ_ONLY_TOKEN', 'ANONYMOUS'] as const;
type Caller = (typeof CALLERS)[number];

const Y = true;
const N = false;

/**
 * Who may call what, written out by hand from the clinic's roles: the oracle every door of the API is checked against.
 * Columns, in CALLERS order: ADMIN, LEAD and CLINICIAN portal sessions; an integrator's token holding every scope a token
 * can hold; an integrator's token holding only scans:read; no credentials. GraphQL queries and mutations are sent over
 * HTTP and over the WebSocket, subscriptions over the WebSocket; `field …` rows reach a guarded field through a query.
 * Reads and study readings are a clinician's or a lead's, in person; ground truth and analytics go to those who
 * measure against them; study results and blinded readings to those who run studies.
 */
const ACCESS: Record<string, readonly [boolean, boolean, boolean, boolean, boolean, boolean]> = {
  //                                                  ADMIN LEAD CLIN INTEG RO  ANON
  'query me': /*                                   */ [Y, Y, Y, Y, Y, Y],
  'query users': /*                                */ [Y, N, N, N, N, N],
  'query apiTokens': /*                            */ [Y, N, N, N, N, N],
  'query worklist': /*                             */ [Y, Y, Y, Y, Y, N],
  'query scan': /*                                 */ [Y, Y, Y, Y, Y, N],
  'query patient': /*                              */ [Y, Y, Y, Y, Y, N],
  'query modelVersions': /*                        */ [Y, Y, Y, Y, Y, N],
  'query turnaround': /*                           */ [Y, Y, N, Y, N, N],
  'query agreement': /*                            */ [Y, Y, N, Y, N, N],
  'query diagnosticPerformance': /*                */ [Y, Y, N, Y, N, N],
  'query thresholdSimulation': /*                  */ [Y, Y, N, Y, N, N],
  'query readerStudies': /*                        */ [Y, Y, Y, N, N, N],
  'query readerStudyQueue': /*                     */ [N, Y, Y, N, N, N],
  'query readerStudyResults': /*                   */ [Y, Y, N, N, N, N],
  'query sampleBalancedCases': /*                  */ [Y, Y, N, N, N, N],
  'field Scan.groundTruth': /*                     */ [Y, Y, N, Y, N, N],
  'mutation signIn': /*                            */ [Y, Y, Y, Y, Y, Y],
  'mutation signInWithSingleSignOn': /*            */ [Y, Y, Y, Y, Y, Y],
  'mutation signOut': /*                           */ [Y, Y, Y, Y, Y, Y],
  // Only the portal, by its signed statement of the browser's address: no session or token is that.
  'mutation recordSingleSignOnRefusal': /*         */ [N, N, N, N, N, N],
  'mutation createUser': /*                        */ [Y, N, N, N, N, N],
  'mutation createApiToken': /*                    */ [Y, N, N, N, N, N],
  'mutation revokeApiToken': /*                    */ [Y, N, N, N, N, N],
  'mutation submitReview': /*                      */ [N, Y, Y, N, N, N],
  'mutation recordGroundTruth': /*                 */ [Y, Y, Y, Y, N, N],
  'mutation registerModelVersion': /*              */ [Y, N, N, N, N, N],
  'mutation setModelVersionStatus': /*             */ [Y, N, N, N, N, N],
  'mutation rerunModelVersion': /*                 */ [Y, N, N, N, N, N],
  'mutation createReaderStudy': /*                 */ [Y, Y, N, N, N, N],
  'mutation closeReaderStudy': /*                  */ [Y, Y, N, N, N, N],
  'mutation submitReaderStudyReading': /*          */ [N, Y, Y, N, N, N],
  'subscription scanUpdated': /*                   */ [Y, Y, Y, Y, Y, N],
  'GET /healthz': /*                               */ [Y, Y, Y, Y, Y, Y],
  'GET /readyz': /*                                */ [Y, Y, Y, Y, Y, Y],
  'GET /views/:id/pixels': /*                      */ [Y, Y, Y, Y, Y, N],
  'GET /predictions/:id/heatmap/:view': /*         */ [Y, Y, Y, Y, Y, N],
  'GET /reader-study-case-views/:id/pixels': /*    */ [N, Y, Y, N, N, N],
  'GET /reader-study-case-heatmaps/:id/:view': /*  */ [N, Y, Y, N, N, N],
  'POST /dicomweb/studies': /*                     */ [Y, N, N, Y, N, N],
  'GET /dicomweb/studies': /*                      */ [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study': /*               */ [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/metadata': /*      */ [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/series': /*        */ [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/instances': /*     */ [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/series/:series': /**/ [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/series/:series/metadata': [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/series/:series/instances': [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/series/:series/instances/:instance': [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/series/:series/instances/:instance/metadata': [Y, Y, Y, Y, Y, N],
  'GET /dicomweb/studies/:study/series/:series/instances/:instance/frames/:frames': [Y, Y, Y, Y, Y, N],
};

/** Fields guarded on their own, reached through a query that every holder of scans:read may send. */
const FIELD_PROBES: Record<string, string> = {
  'field Scan.groundTruth': '{ worklist(first: 1) { edges { node { id groundTruth { mbd } } } } }',
};

/** Route parameters that pass the access check and then stop at once (bad id, unknown study). */
const ROUTE_PARAMETERS: Record<string, string> = { id: 'not-an-id', view: 'AP', study: '1.2.3', series: '1.2.3.4', instance: '1.2.3.4.5', frames: '1' };

/** A well-typed value for an argument. Ids are not UUIDs, so a call that gets past the access check stops at once. */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((field) => isNonNullType(field.type) && field.defaultValue === undefined);
    return Object.fromEntries(required.map((field) => [field.name, sampleValue(field.type)]));
  }
  const scalars: Record<string, unknown> = {
    ID: 'not-a-uuid',
    String: 'x',
    Int: 1,
    Float: 0.5,
    Boolean: false,
    DateTimeISO: '2026-01-01T00:00:00.000Z',
    JSONObject: {},
  };
  if (!(type.name in scalars)) throw new Error(`no sample value for scalar ${type.name}: add one`);
  return scalars[type.name];
}

interface GraphQLOperation {
  kind: 'query' | 'mutation' | 'subscription' | 'field';
  document: string;
  variables: Record<string, unknown>;
}

/** A document calling one root field with every required argument (and every id, so subscriptions check theirs too). */
function operationOf(kind: GraphQLOperation['kind'], field: GraphQLField<unknown, unknown>): GraphQLOperation {
  const args = field.args.filter((arg) => (isNonNullType(arg.type) && arg.defaultValue === undefined) || getNamedType(arg.type).name === 'ID');
  const declared = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    kind,
    document: `${kind} Probe${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((arg) => [arg.name, sampleValue(arg.type)])),
  };
}

/** Every root operation of the schema, named as in the table. */
function schemaOperations(schema: GraphQLSchema): Map<string, GraphQLOperation> {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  return new Map(
    roots.flatMap(([kind, type]) => Object.values(type?.getFields() ?? {}).map((field) => [`${kind} ${field.name}`, operationOf(kind, field)] as const)),
  );
}

interface RouterLayer {
  name: string;
  rawPath?: string;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
}

/** Every route mounted on the API's Express app, as `METHOD /path`, mounted routers' prefixes included. */
function mountedRoutes(app: Express): string[] {
  const walk = (stack: RouterLayer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        return Object.keys(layer.route.methods).flatMap((method) => paths.map((path) => `${method.toUpperCase()} ${prefix}${path}`));
      }
      return layer.name === 'router' && layer.handle.stack
        ? walk(layer.handle.stack, prefix + (layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : ''))
        : [];
    });
  return walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
}

/** Access was refused: the one message every door gives for no credentials, or for a permission the caller lacks. */
const DENIED = /^(Sign in, or send an API token|\S+ is not allowed for (the [A-Z]+ role|this API token)$|Only the BoneScan portal may)/;

describe('who may call what: every operation and route × every kind of caller, from one table', () => {
  const api = testApiOfFile({ ingest: true });
  let operations: Map<string, GraphQLOperation>;

  beforeAll(async () => {
    operations = schemaOperations(await buildApiSchema());
    // A scan for the field probes to reach.
    await createTestScan(api.db.dataSource, { status: 'PREDICTED' });
  });

  /** A fresh credential per caller and row: a signOut probe ends only its own sessions. */
  async function credentialOf(caller: Caller): Promise<string | undefined> {
    if (caller === 'ANONYMOUS') return undefined;
    if (caller === 'INTEGRATOR' || caller === 'READ_ONLY_TOKEN') {
      const integrator = await api.signInAs('INTEGRATOR');
      const scopes = caller === 'INTEGRATOR' ? [...TOKEN_SCOPES] : ['scans:read'];
      return (
        await new ApiTokensService(api.db.dataSource).create(
          { userId: integrator.user.id, role: 'INTEGRATOR' },
          { name: 'access probe', scopes, expiresInDays: 1 },
        )
      ).secret;
    }
    return (await api.signInAs(caller as Role)).session;
  }

  /** Over graphql-ws, as the portal subscribes; the first result or error is the answer. */
  async function overWebSocket(operation: GraphQLOperation, credential?: string): Promise<GraphQLResponse> {
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
            error: (errors) => resolve({ status: 200, errors: Array.isArray(errors) ? errors : [{ message: String((errors as Error).message ?? errors) }] }),
            complete: () => resolve({ status: 200 }),
          },
        );
      });
    } finally {
      await client.dispose();
    }
  }

  /** Whether a GraphQL answer refused access; the code must fit the caller (UNAUTHENTICATED only for nobody). */
  function refused(answer: GraphQLResponse, caller: Caller): boolean {
    const denial = answer.errors?.find((error) => DENIED.test(error.message));
    if (denial)
      expect(denial.extensions?.code ?? (caller === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN')).toBe(
        caller === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
      );
    return denial !== undefined;
  }

  async function restRefused(route: string, caller: Caller, credential?: string): Promise<boolean> {
    const [method, pattern] = route.split(' ');
    const path = pattern.replace(/:(\w+)/g, (_match, name: string) => ROUTE_PARAMETERS[name]);
    const response = await fetch(`${api.app.url}${path}`, { method, headers: credential ? { authorization: `Bearer ${credential}` } : {} });
    const body = await response.text();
    if (response.status === 401 || response.status === 403) {
      expect(response.status).toBe(caller === 'ANONYMOUS' ? 401 : 403);
      return true;
    }
    expect(body).not.toMatch(/not allowed for|Sign in, or send an API token/);
    return false;
  }

  it('names every operation of the schema and every mounted route in the table, and nothing else', () => {
    const inTable = Object.keys(ACCESS).filter((name) => !name.startsWith('field '));
    const served = [...operations.keys(), ...new Set(mountedRoutes(api.app.express))];
    expect(served.sort()).toEqual(inTable.sort());
  });

  it.each(Object.entries(ACCESS))('%s', async (name, expected) => {
    const answers: string[] = [];
    const table: string[] = [];
    for (const [column, caller] of CALLERS.entries()) {
      const credential = await credentialOf(caller);
      const verdicts: Array<[string, boolean]> = [];
      if (/^(GET|POST|PUT|DELETE) /.test(name)) {
        verdicts.push(['REST', await restRefused(name, caller, credential)]);
      } else {
        const operation = name.startsWith('field ') ? { kind: 'field' as const, document: FIELD_PROBES[name], variables: {} } : operations.get(name)!;
        if (operation.kind !== 'subscription') verdicts.push(['HTTP', refused(await api.graphql(operation.document, operation.variables, credential), caller)]);
        verdicts.push(['WebSocket', refused(await overWebSocket(operation, credential), caller)]);
      }
      // Named per caller and transport, so a failure lists whose access differs from the table, and where.
      answers.push(...verdicts.map(([transport, denied]) => `${caller} over ${transport}: ${denied ? 'denied' : 'allowed'}`));
      table.push(...verdicts.map(([transport]) => `${caller} over ${transport}: ${expected[column] ? 'allowed' : 'denied'}`));
    }
    expect(answers).toEqual(table);
  });
});
