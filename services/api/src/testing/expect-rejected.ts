import type { GraphQLResponse, TestApi } from './test-api';

/** The records a refused request could have touched, counted. */
async function recordCounts(api: TestApi): Promise<Record<string, string>> {
  const [row] = await api.db.dataSource.query(
    `SELECT (SELECT count(*) FROM reviews) AS reviews, (SELECT count(*) FROM ground_truths) AS truths,
            (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_tokens) AS tokens,
            (SELECT count(*) FROM scans WHERE status = 'REVIEWED') AS reviewed`,
  );
  return row;
}

/** Sends a request that must be refused: the error carries the code and a message saying what was wrong, and nothing was written. */
export async function expectRejected(api: TestApi, send: () => Promise<GraphQLResponse>, code: string, message: RegExp): Promise<void> {
  const before = await recordCounts(api);
  const { errors } = await send();
  expect(errors?.[0]?.extensions?.code).toBe(code);
  expect(errors?.[0]?.message).toMatch(message);
  expect(await recordCounts(api)).toEqual(before);
}
