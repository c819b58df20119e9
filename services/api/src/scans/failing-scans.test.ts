import { createTestScan } from '@bonescan/db/testing';
import { expectRejected } from '../testing/expect-rejected';
import { testApiOfFile } from '../testing/test-api-of-file';

describe('bad input to scans and the worklist', () => {
  const api = testApiOfFile();
  let clinician: string;
  let scanId: string;

  beforeAll(async () => {
    clinician = (await api.signInAs('CLINICIAN')).session;
    ({ scanId } = await createTestScan(api.db.dataSource));
  });

  it('unknown scan id: NOT_FOUND', async () => {
    await expectRejected(api, () => api.graphql(`{ scan(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, clinician), 'NOT_FOUND', /No scan with id/);
    await expectRejected(api, () => api.graphql(`{ scan(id: "not-a-uuid") { id } }`, {}, clinician), 'BAD_USER_INPUT', /is not a valid scan id/);
  });

  it('malformed cursor: BAD_USER_INPUT', async () => {
    await expectRejected(api, () => api.graphql(`{ worklist(after: "%%%") { edges { cursor } } }`, {}, clinician), 'BAD_USER_INPUT', /Cursor is malformed/);
    const foreign = Buffer.from(JSON.stringify(['ARRIVAL', '2026-01-01 00:00:00', scanId])).toString('base64url');
    await expectRejected(
      api,
      () => api.graphql(`query($after: String) { worklist(after: $after, sort: AI_PRIORITY) { edges { cursor } } }`, { after: foreign }, clinician),
      'BAD_USER_INPUT',
      /Cursor is malformed|made for sort ARRIVAL/,
    );
    await expectRejected(
      api,
      () => api.graphql(`{ worklist(first: 5000) { edges { cursor } } }`, {}, clinician),
      'BAD_USER_INPUT',
      /first must be between 1 and 200|cost/,
    );
  });

  it('a query 30 levels deep through scan → patient → scans: BAD_USER_INPUT before anything runs', async () => {
    let selection = 'id';
    for (let level = 0; level < 15; level += 1) selection = `patient { scans { ${selection} } }`;
    const query = `{ scan(id: "${scanId}") { ${selection} } }`;
    const before = Number((await api.db.dataSource.query('SELECT count(*) FROM audit_events'))[0].count);
    await expectRejected(api, () => api.graphql(query, {}, clinician), 'BAD_USER_INPUT', /nested 3[0-9] levels deep; the limit is 12/);
    expect(Number((await api.db.dataSource.query('SELECT count(*) FROM audit_events'))[0].count)).toBe(before);
  });
});
