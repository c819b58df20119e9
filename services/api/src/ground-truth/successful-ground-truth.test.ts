import { createTestScan } from '@bonescan/db/testing';
import { testApiOfFile } from '../testing/test-api-of-file';

describe('ground truth', () => {
  const api = testApiOfFile();

  it('record and then correct the ground truth of a scan, each recording audited', async () => {
    const { scanId } = await createTestScan(api.db.dataSource, { status: 'REVIEWED' });
    const { session, user } = await api.signInAs('CLINICIAN');
    const record = (mbd: boolean, source: string) =>
      api.graphql(
        `mutation($id: ID!, $mbd: Boolean!, $source: GroundTruthSource!) { recordGroundTruth(input: { scanId: $id, mbd: $mbd, source: $source, diagnosedOn: "2026-03-01" }) { mbd source diagnosedOn } }`,
        { id: scanId, mbd, source },
        session,
      );
    expect((await record(true, 'FOLLOW_UP')).data!.recordGroundTruth).toEqual({ mbd: true, source: 'FOLLOW_UP', diagnosedOn: '2026-03-01' });
    expect((await record(false, 'SPECT_CT')).data!.recordGroundTruth).toMatchObject({ mbd: false, source: 'SPECT_CT' });
    // Read back by a lead: the clinician who records a diagnosis is not shown the recorded ones.
    const lead = (await api.signInAs('LEAD')).session;
    expect((await api.graphql(`query($id: ID!) { scan(id: $id) { groundTruth { mbd } } }`, { id: scanId }, lead)).data!.scan.groundTruth).toEqual({
      mbd: false,
    });
    const [stored] = await api.db.dataSource.query('SELECT recorded_by_id FROM ground_truths WHERE scan_id = $1', [scanId]);
    expect(stored.recorded_by_id).toBe(user.id);
    const audited = await api.db.dataSource.query(`SELECT entity_id FROM audit_events WHERE action = 'ground-truth.record'`);
    expect(audited).toEqual([{ entity_id: scanId }, { entity_id: scanId }]);
  });
});
