import { seedSyntheticScans } from '@bonescan/db';
import { startTestApi, type GraphQLResponse, type TestApi } from '../testing/test-api';

const PAGE = `query Page($first: Int!, $after: String, $sort: WorklistSort) {
  worklist(first: $first, after: $after, sort: $sort) { edges { cursor node { id aiProbability arrivedAt } } pageInfo { hasNextPage endCursor } }
}`;

const FULL_PAGE = `query Full($first: Int!) {
  worklist(first: $first) {
    edges { node {
      id status aiProbability read
      patient { id patientId name }
      views { view width height }
      prediction { probability label hotspots { view region } modelVersion { name version } }
      reviews { verdict confidence reader { name } }
      groundTruth { mbd }
    } }
  }
}`;

describe('worklist', () => {
  let api: TestApi;
  let statements: string[] = [];
  let session: string;

  beforeAll(async () => {
    // A full 50-row page with every nested list costs more than the default limit allows; the statement count is what is measured here.
    api = await startTestApi({ onQuery: (sql) => statements.push(sql), env: { QUERY_MAX_COST: '20000' } });
    const reader = await api.signInAs('CLINICIAN');
    session = reader.session;
    const model = await api.createModelVersion();
    await seedSyntheticScans(api.db.dataSource, { count: 10_000, modelVersionId: model.id, readerId: reader.user.id });
  });
  afterAll(() => api.close());

  it.each(['AI_PRIORITY', 'ARRIVAL'])('walk every page by %s cursor while scans keep arriving: none missed, none repeated', async (sort) => {
    const before: Array<{ id: string }> = await api.db.dataSource.query('SELECT id FROM scans');
    const seen = new Map<string, number>();
    let after: string | null = null;
    let pages = 0;
    do {
      const { data, errors }: GraphQLResponse = await api.graphql(PAGE, { first: 200, after, sort }, session);
      expect(errors).toBeUndefined();
      for (const { node } of data!.worklist.edges) seen.set(node.id, (seen.get(node.id) ?? 0) + 1);
      after = data!.worklist.pageInfo.hasNextPage ? data!.worklist.pageInfo.endCursor : null;
      pages += 1;
      // New scans land between page requests, with probabilities anywhere in the order.
      await seedSyntheticScans(api.db.dataSource, { count: 7 });
    } while (after);

    expect(pages).toBeGreaterThanOrEqual(50);
    expect([...seen.values()].every((times) => times === 1)).toBe(true);
    expect(before.filter(({ id }) => !seen.has(id))).toEqual([]);
  });

  it('order AI-positive scans first, by probability, unpredicted scans last', async () => {
    const { data } = await api.graphql(PAGE, { first: 200 }, session);
    const probabilities = data!.worklist.edges.map((e: { node: { aiProbability: number | null } }) => e.node.aiProbability ?? -1);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    expect(probabilities[0]).toBeGreaterThan(0.99);
  });

  it('load patient, views, prediction and reviews of a 50-row page in as many statements as a 5-row page', async () => {
    // A lead: the page asks for ground truth too, which clinicians are not shown.
    const lead = (await api.signInAs('LEAD')).session;
    await api.graphql('{ me { id } }', {}, lead); // a session's first use records it: not part of loading a page
    const count = async (first: number) => {
      statements = [];
      const { data, errors } = await api.graphql(FULL_PAGE, { first }, lead);
      expect(errors).toBeUndefined();
      expect(data!.worklist.edges).toHaveLength(first);
      expect(data!.worklist.edges.some((e: { node: { reviews: unknown[] } }) => e.node.reviews.length > 0)).toBe(true);
      return statements.length;
    };
    const small = await count(5);
    const large = await count(50);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(10);
  });

  it('audit every scan and patient a page shows, in one row', async () => {
    const before = Number((await api.db.dataSource.query('SELECT count(*) FROM audit_events'))[0].count);
    statements = [];
    await api.graphql(`{ worklist(first: 20) { edges { node { id patient { name } } } } }`, {}, session);
    const after = Number((await api.db.dataSource.query('SELECT count(*) FROM audit_events'))[0].count);
    expect(after - before).toBe(1);
    expect(statements.filter((sql) => sql.startsWith('INSERT INTO "audit_events"'))).toHaveLength(1);
  });

  it('filter by site, AI label, read state and arrival range', async () => {
    const query = `query($filter: WorklistFilter) { worklist(first: 200, filter: $filter) { edges { node { site aiLabel read arrivedAt } } } }`;
    const since = new Date(Date.now() - 3600_000).toISOString();
    const { data, errors } = await api.graphql(query, { filter: { site: 'South', aiLabel: 'MBD', read: false, arrivedFrom: since } }, session);
    expect(errors).toBeUndefined();
    const nodes = data!.worklist.edges.map((e: { node: unknown }) => e.node) as Array<{ site: string; aiLabel: string; read: boolean; arrivedAt: string }>;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node).toMatchObject({ site: 'South', aiLabel: 'MBD', read: false });
      expect(new Date(node.arrivedAt).getTime()).toBeGreaterThanOrEqual(new Date(since).getTime());
    }
  });
});
