import { randomUUID } from 'node:crypto';
import { printSchemaText } from './schema/print-schema';
import { startTestApi, type TestApi } from './testing/test-api';
import fs from 'node:fs';
import path from 'node:path';

describe('API', () => {
  let api: TestApi;
  let scanId: string;
  let patientId: string;

  beforeAll(async () => {
    api = await startTestApi();
    const [row] = await api.db.dataSource.query(
      `WITH p AS (INSERT INTO patients (patient_id, name) VALUES ('MRN-7', 'Doe^Jane') RETURNING id)
       INSERT INTO scans (patient_id, study_instance_uid, site, status) SELECT id, '2.25.77', 'North', 'PREDICTED' FROM p RETURNING id, patient_id`,
    );
    scanId = row.id;
    patientId = row.patient_id;
  });
  afterAll(() => api.close());

  it('answer { me } for a portal session, and null without credentials', async () => {
    const { user, session } = await api.signInAs('LEAD');
    expect((await api.graphql('{ me { id role email } }', {}, session)).data).toEqual({ me: { id: user.id, role: 'LEAD', email: user.email } });
    expect((await api.graphql('{ me { id } }')).data).toEqual({ me: null });
  });

  it('record one review for a draft submitted twice, and start the scan’s reading clock', async () => {
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

  it('record and then correct the ground truth of a scan', async () => {
    const { session } = await api.signInAs('CLINICIAN');
    const record = (mbd: boolean, source: string) =>
      api.graphql(
        `mutation($id: ID!, $mbd: Boolean!, $source: GroundTruthSource!) { recordGroundTruth(input: { scanId: $id, mbd: $mbd, source: $source, diagnosedOn: "2026-03-01" }) { mbd source diagnosedOn } }`,
        { id: scanId, mbd, source },
        session,
      );
    expect((await record(true, 'FOLLOW_UP')).data!.recordGroundTruth).toEqual({ mbd: true, source: 'FOLLOW_UP', diagnosedOn: '2026-03-01' });
    expect((await record(false, 'SPECT_CT')).data!.recordGroundTruth).toMatchObject({ mbd: false, source: 'SPECT_CT' });
    expect((await api.graphql(`query($id: ID!) { scan(id: $id) { groundTruth { mbd } } }`, { id: scanId }, session)).data!.scan.groundTruth).toEqual({ mbd: false });
  });

  it('let an admin issue a scoped token that works until revoked, shown once and stored hashed', async () => {
    const admin = await api.signInAs('ADMIN');
    const integrator = await api.signInAs('INTEGRATOR');
    const created = await api.graphql(
      `mutation($user: ID!) { createApiToken(input: { name: "PACS bridge", scopes: ["scans:read"], expiresInDays: 30, userId: $user }) { secret token { id prefix scopes } } }`,
      { user: integrator.user.id },
      admin.session,
    );
    const { secret, token } = created.data!.createApiToken;
    expect(secret).toMatch(/^bsk_/);
    const [stored] = await api.db.dataSource.query('SELECT token_hash FROM api_tokens WHERE id = $1', [token.id]);
    expect(stored.token_hash).not.toContain(secret.slice(4));
    expect(JSON.stringify((await api.graphql('{ apiTokens { id } }', {}, admin.session)).data)).not.toContain(secret);

    const read = await api.graphql(`query($id: ID!) { patient(id: $id) { patientId scans { id } } }`, { id: patientId }, secret);
    expect(read.data!.patient).toEqual({ patientId: 'MRN-7', scans: [{ id: scanId }] });
    const [audit] = await api.db.dataSource.query(`SELECT actor_token_id, action FROM audit_events WHERE action = 'patient.read' AND actor_token_id = $1`, [token.id]);
    expect(audit).toEqual({ actor_token_id: token.id, action: 'patient.read' });

    // Last use is recorded to the minute: a second request at once writes nothing, one a while later does.
    const lastUsed = async () => (await api.db.dataSource.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [token.id]))[0].last_used_at as Date;
    const firstUse = await lastUsed();
    expect(firstUse).toBeInstanceOf(Date);
    await api.graphql('{ me { id } }', {}, secret);
    expect(await lastUsed()).toEqual(firstUse);
    await api.db.dataSource.query(`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [token.id]);
    await api.graphql('{ me { id } }', {}, secret);
    expect((await lastUsed()).getTime()).toBeGreaterThan(Date.now() - 60_000);

    await api.graphql(`mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, { id: token.id }, admin.session);
    expect((await api.graphql('{ me { id } }', {}, secret)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('let an admin create a user who can then sign in with a case-insensitive e-mail', async () => {
    const admin = await api.signInAs('ADMIN');
    const created = await api.graphql(
      `mutation { createUser(input: { email: "Reader.One@hospital.test", name: "Dr One", role: CLINICIAN, password: "correct horse battery" }) { id role } }`,
      {},
      admin.session,
    );
    expect(created.data!.createUser.role).toBe('CLINICIAN');
    const signedIn = await api.graphql(`mutation { signIn(email: "reader.one@HOSPITAL.test", password: "correct horse battery") { id } }`);
    expect(signedIn.data!.signIn.id).toBe(created.data!.createUser.id);
  });

  it('commit schema.graphql exactly as the resolvers emit it', async () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../../schema.graphql'), 'utf8');
    expect(committed).toBe(await printSchemaText());
  });
});
