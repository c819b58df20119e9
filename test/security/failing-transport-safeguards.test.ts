import { Writable } from 'node:stream';
import pino from 'pino';
import { openGraphQLSocket } from '@bonescan/api/src/testing/graphql-socket';
import type { GraphQLResponse } from '@bonescan/api/src/testing/test-api';
import { testApiOfFile } from '@bonescan/api/src/testing/test-api-of-file';

/** pino's numeric level of `error`: client mistakes must log below it. */
const ERROR_LEVEL = 50;

/**
 * `worklist(first: 20)` with, for every scan, its patient's scans and their reviews. Costed by hand from the page
 * sizes: every field 1, a list's selections times its items; `first: 20` sizes the worklist's edges, and lists
 * without a page size of their own (a patient's scans, a scan's reviews) count 10 items.
 */
const FAN_OUT = `query FanOut($first: Int!) { worklist(first: $first) { edges { node { id patient { scans { id reviews { id reader { name } } } } } } } }`;
function fanOutCost(first: number): number {
  const reader = 1 + 1; // reader { name }
  const reviews = 1 + 10 * (1 + reader); // reviews { id reader }
  const scans = 1 + 10 * (1 + reviews); // scans { id reviews }
  const patient = 1 + scans;
  const node = 1 + (1 + patient); // node { id patient }
  const edges = 1 + first * node;
  return 1 + edges; // worklist { edges }
}

/** 62 levels: scan, then 30 times patient and scans, then id. */
const DEPTH_62 = `{ scan(id: "00000000-0000-4000-8000-000000000000") { ${'patient { scans { '.repeat(30)}id${' } }'.repeat(30)} } }`;

const manyAliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;

describe('one safeguard chain refuses on WebSocket what it refuses on HTTP', () => {
  const logLines: Array<{ level: number; msg: string }> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    }),
  );
  const api = testApiOfFile({ logger });
  let admin: string;

  beforeAll(async () => {
    admin = (await api.signInAs('ADMIN')).session;
  });
  beforeEach(() => {
    logLines.length = 0;
  });

  async function overWebSocket(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
    const socket = await openGraphQLSocket(api, admin);
    try {
      return await socket.first(query, variables);
    } finally {
      await socket.dispose();
    }
  }

  it('refuses a query nested 62 levels deep over WebSocket, as over HTTP', async () => {
    const expected = { code: 'BAD_USER_INPUT', depth: 62, maxDepth: api.config.QUERY_MAX_DEPTH };
    for (const { errors, data } of [await api.graphql(DEPTH_62, {}, admin), await overWebSocket(DEPTH_62)]) {
      expect(data ?? undefined).toBeUndefined();
      expect(errors?.[0]?.extensions).toEqual(expected);
      expect(errors?.[0]?.message).toMatch(`nested 62 levels deep; the limit is ${api.config.QUERY_MAX_DEPTH}`);
    }
  });

  it('costs nested lists by their sizes: a worklist page of 20 with its patients’ scans and reviews is refused on both', async () => {
    expect(fanOutCost(20)).toBe(6482);
    for (const { errors, data } of [await api.graphql(FAN_OUT, { first: 20 }, admin), await overWebSocket(FAN_OUT, { first: 20 })]) {
      expect(data ?? undefined).toBeUndefined();
      expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', cost: fanOutCost(20), maxCost: api.config.QUERY_MAX_COST });
    }
  });

  it('refuses 50,000 aliases on both, before validating them', async () => {
    const query = manyAliases(50_000);
    const overHttp = await api.graphql(query, {}, admin);
    expect(overHttp.status).toBe(400);
    for (const { errors, data } of [overHttp, await overWebSocket(query)]) {
      expect(data ?? undefined).toBeUndefined();
      expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(errors?.[0]?.message).toMatch(/Document contains more tha[nt] 10000 tokens/); // graphql-js spells it "more that"
    }
  });

  it('counts aliases one by one through fragments: 60 spreads of 100 aliases (6,000 fields, few tokens) refused on both', async () => {
    const query = `${manyAliases(100).replace('{', 'fragment Hundred on Query {')} { ${'...Hundred '.repeat(60)}}`;
    for (const { errors, data } of [await api.graphql(query, {}, admin), await overWebSocket(query)]) {
      expect(data ?? undefined).toBeUndefined();
      expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', maxCost: api.config.QUERY_MAX_COST });
      expect(errors?.[0]?.message).toMatch(`selects more than ${api.config.QUERY_MAX_COST} fields (aliases included)`);
    }
  });

  it('masks a database failure on WebSocket: a neutral message, no SQL, the error logged', async () => {
    // A real fault: the table the query reads is gone for the length of the request.
    await api.db.dataSource.query('ALTER TABLE model_versions RENAME TO model_versions_away');
    let answer: GraphQLResponse;
    try {
      answer = await overWebSocket('{ modelVersions { id name } }');
    } finally {
      await api.db.dataSource.query('ALTER TABLE model_versions_away RENAME TO model_versions');
    }
    expect(answer.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(answer.errors?.[0]?.message).toBe('Internal server error: the request was not completed; the error has been logged');
    expect(JSON.stringify(answer)).not.toMatch(/model_versions|relation|SELECT|postgres/i);
    expect(logLines.some((line) => line.level === ERROR_LEVEL && line.msg === 'unexpected error in GraphQL request')).toBe(true);
  });

  it('answers a malformed JSON body with 400 and a plain message, no stack trace or server path', async () => {
    const response = await fetch(`${api.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ me { id } }", ',
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text).errors[0]).toEqual({ message: expect.stringMatching(/^Request body is not valid JSON/), extensions: { code: 'BAD_REQUEST' } });
    expect(text).not.toMatch(/\s+at \S+ \(|node_modules|\/work\/|\.[jt]s:\d+|<pre>/); // stack frames, paths, Express's HTML page
  });

  it('answers a NUL character in a text argument with BAD_USER_INPUT, on both, logging no error', async () => {
    const query = 'query Site($site: String) { worklist(first: 5, filter: { site: $site }) { edges { node { id } } } }';
    const overHttp = await api.graphql(query, { site: 'St Mary\u0000s' }, admin);
    expect(overHttp.status).toBe(400);
    for (const { errors, data } of [overHttp, await overWebSocket(query, { site: 'St Mary\u0000s' })]) {
      expect(data ?? undefined).toBeUndefined();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toMatch(/NUL character/);
    }
    expect(logLines.filter((line) => line.level >= ERROR_LEVEL)).toEqual([]);
  });

  it('answers a crafted worklist cursor with BAD_USER_INPUT, logging no error', async () => {
    const query = 'query Page($after: String) { worklist(first: 5, sort: ARRIVAL, after: $after) { edges { node { id } } } }';
    const crafted = [
      ['ARRIVAL', '2024-13-45 99:00:00', '00000000-0000-4000-8000-000000000000'], // no such date
      ['ARRIVAL', '2024-02-31 10:00:00', '00000000-0000-4000-8000-000000000000'], // nor this one
      ['ARRIVAL', '2024-05-01 10:00:00', "x' OR 1=1 --"], // not a scan id
    ];
    for (const values of crafted) {
      const { errors } = await api.graphql(query, { after: Buffer.from(JSON.stringify(values)).toString('base64url') }, admin);
      expect(errors?.[0]).toMatchObject({
        message: 'Cursor is malformed: pass an endCursor exactly as the API returned it',
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    }
    expect(logLines.filter((line) => line.level >= ERROR_LEVEL)).toEqual([]);
  });
});
