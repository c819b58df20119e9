import { createTestScan } from '@bonescan/db/testing';
import { openGraphQLSocket } from '@bonescan/api/src/testing/graphql-socket';
import { testApiOfFile } from '@bonescan/api/src/testing/test-api-of-file';

const FAN_OUT = `query FanOut($first: Int!) { worklist(first: $first) { edges { node { id patient { scans { id reviews { id reader { name } } } } } } } }`;

describe('the safeguard chain lets ordinary work through on HTTP and WebSocket', () => {
  const api = testApiOfFile();
  let clinician: string;
  const planted: string[] = [];

  beforeAll(async () => {
    clinician = (await api.signInAs('CLINICIAN')).session;
    for (let i = 0; i < 3; i += 1) planted.push((await createTestScan(api.db.dataSource)).scanId);
  });

  it('runs a nested query whose cost, by hand, is under the limit (2 scans with their patients’ scans and reviews: 650)', async () => {
    // 1 + (1 + 2 × (1 + (1 + (1 + (1 + 10 × (1 + (1 + 10 × (1 + 2))))))))
    expect(1 + (1 + 2 * (1 + (1 + (1 + (1 + 10 * (1 + (1 + 10 * (1 + 2))))))))).toBeLessThanOrEqual(api.config.QUERY_MAX_COST);
    const socket = await openGraphQLSocket(api, clinician);
    try {
      for (const { errors, data } of [await api.graphql(FAN_OUT, { first: 2 }, clinician), await socket.first(FAN_OUT, { first: 2 })]) {
        expect(errors).toBeUndefined();
        expect(data!.worklist.edges).toHaveLength(2);
        expect(data!.worklist.edges[0].node.patient.scans).toEqual([{ id: data!.worklist.edges[0].node.id, reviews: [] }]);
      }
    } finally {
      await socket.dispose();
    }
  });

  it('pages through the worklist with the cursors the API hands out, in both sort orders', async () => {
    const page =
      'query Page($sort: WorklistSort!, $after: String) { worklist(first: 2, sort: $sort, after: $after) { edges { node { id } } pageInfo { endCursor hasNextPage } } }';
    for (const sort of ['ARRIVAL', 'AI_PRIORITY']) {
      const first = await api.graphql(page, { sort }, clinician);
      expect(first.errors).toBeUndefined();
      expect(first.data!.worklist.pageInfo.hasNextPage).toBe(true);
      const second = await api.graphql(page, { sort, after: first.data!.worklist.pageInfo.endCursor }, clinician);
      expect(second.errors).toBeUndefined();
      const seen = [...first.data!.worklist.edges, ...second.data!.worklist.edges].map((edge: { node: { id: string } }) => edge.node.id);
      expect(seen.sort()).toEqual([...planted].sort());
    }
  });
});
