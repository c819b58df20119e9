import { createTestScan } from '@bonescan/db/testing';
import { ApiTokensService } from '../api-tokens/api-tokens.service';
import { expectRejected } from '../testing/expect-rejected';
import { testApiOfFile } from '../testing/test-api-of-file';

describe('bad input to reviews', () => {
  const api = testApiOfFile();
  let clinician: string;
  let scanId: string;

  const REVIEW = `mutation($input: SubmitReviewInput!) { submitReview(input: $input) { id } }`;
  const review = (overrides: Record<string, unknown> = {}) => ({
    input: { scanId, verdict: 'MBD', confidence: 4, timeSpentMs: 12_000, aiVisible: true, ...overrides },
  });

  beforeAll(async () => {
    clinician = (await api.signInAs('CLINICIAN')).session;
    ({ scanId } = await createTestScan(api.db.dataSource));
  });

  it('confidence 9: BAD_USER_INPUT naming the field', async () => {
    await expectRejected(api, () => api.graphql(REVIEW, review({ confidence: 9 }), clinician), 'BAD_USER_INPUT', /confidence must not be greater than 5/);
  });

  it('review by a caller without the right: FORBIDDEN; without credentials: UNAUTHENTICATED', async () => {
    const integrator = await api.signInAs('INTEGRATOR');
    const { secret } = await new ApiTokensService(api.db.dataSource).create(
      { userId: integrator.user.id, role: 'INTEGRATOR' },
      { name: 'pacs', scopes: ['scans:read'], expiresInDays: 30 },
    );
    await expectRejected(api, () => api.graphql(REVIEW, review(), secret), 'FORBIDDEN', /reviews:write is not allowed for this API token/);
    await expectRejected(api, () => api.graphql(REVIEW, review(), integrator.session), 'FORBIDDEN', /reviews:write is not allowed for the INTEGRATOR role/);
    await expectRejected(api, () => api.graphql(REVIEW, review()), 'UNAUTHENTICATED', /Sign in, or send an API token/);
  });
});
