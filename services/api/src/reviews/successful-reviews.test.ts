import { randomUUID } from 'node:crypto';
import { createTestScan } from '@bonescan/db/testing';
import { testApiOfFile } from '../testing/test-api-of-file';

describe('reviews', () => {
  const api = testApiOfFile();

  it('record one review for a draft submitted twice, and start the scan’s reading clock', async () => {
    const { scanId } = await createTestScan(api.db.dataSource, { status: 'PREDICTED' });
    const { session, user } = await api.signInAs('CLINICIAN');
    const submissionKey = randomUUID();
    const submit = () =>
      api.graphql(
        `mutation($input: SubmitReviewInput!) { submitReview(input: $input) { id verdict confidence reader { id } } }`,
        { input: { scanId, verdict: 'NO_MBD', confidence: 5, comment: 'degenerative knees', timeSpentMs: 14_000, aiVisible: false, submissionKey } },
        session,
      );
    const [first, second] = await Promise.all([submit(), submit()]);
    expect(first.errors).toBeUndefined();
    expect(second.data!.submitReview.id).toBe(first.data!.submitReview.id);
    expect(first.data!.submitReview).toMatchObject({ verdict: 'NO_MBD', confidence: 5, reader: { id: user.id } });
    const [scan] = await api.db.dataSource.query('SELECT status, first_read_at, final_read_at FROM scans WHERE id = $1', [scanId]);
    expect(scan.status).toBe('REVIEWED');
    expect(scan.first_read_at).not.toBeNull();
    expect(scan.final_read_at).not.toBeNull();
    expect(Number((await api.db.dataSource.query('SELECT count(*) FROM reviews WHERE scan_id = $1', [scanId]))[0].count)).toBe(1);
  });
});
