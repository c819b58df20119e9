import { createTestScan } from '@bonescan/db/testing';
import { expectRejected } from '../testing/expect-rejected';
import { testApiOfFile } from '../testing/test-api-of-file';

describe('bad input to ground truth', () => {
  const api = testApiOfFile();
  let clinician: string;
  let scanId: string;

  const RECORD = `mutation($id: ID!, $on: String!) { recordGroundTruth(input: { scanId: $id, mbd: true, source: BIOPSY, diagnosedOn: $on }) { id } }`;

  beforeAll(async () => {
    clinician = (await api.signInAs('CLINICIAN')).session;
    ({ scanId } = await createTestScan(api.db.dataSource));
  });

  it('ground truth for a missing scan: NOT_FOUND', async () => {
    await expectRejected(
      api,
      () => api.graphql(RECORD, { id: '00000000-0000-4000-8000-000000000000', on: '2026-01-05' }, clinician),
      'NOT_FOUND',
      /No scan with id/,
    );
  });

  it('a diagnosis dated in the future or on no calendar day: BAD_USER_INPUT', async () => {
    await expectRejected(api, () => api.graphql(RECORD, { id: scanId, on: '2999-01-05' }, clinician), 'BAD_USER_INPUT', /in the future/);
    await expectRejected(api, () => api.graphql(RECORD, { id: scanId, on: '2026-02-30' }, clinician), 'BAD_USER_INPUT', /2026-02-30 is not a calendar date/);
  });
});
