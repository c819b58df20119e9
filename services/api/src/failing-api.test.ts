import { ApiTokensService } from './api-tokens/api-tokens.service';
import { startTestApi, type TestApi } from './testing/test-api';

/** Each bad input gets a coded error that says what was wrong, and the database is left as it was. */
describe('bad input to the API', () => {
  let api: TestApi;
  let clinician: string;
  let admin: string;
  let scanId: string;

  const counts = async () => {
    const [row] = await api.db.dataSource.query(
      `SELECT (SELECT count(*) FROM reviews) AS reviews, (SELECT count(*) FROM ground_truths) AS truths,
              (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_tokens) AS tokens,
              (SELECT count(*) FROM scans WHERE status = 'REVIEWED') AS reviewed`,
    );
    return row as Record<string, string>;
  };

  const expectRejected = async (
    call: Promise<{ errors?: Array<{ message: string; extensions?: { code?: string } }> }>,
    code: string,
    message: RegExp,
  ) => {
    const before = await counts();
    const { errors } = await call;
    expect(errors?.[0]?.extensions?.code).toBe(code);
    expect(errors?.[0]?.message).toMatch(message);
    expect(await counts()).toEqual(before);
  };

  const REVIEW = `mutation($input: SubmitReviewInput!) { submitReview(input: $input) { id } }`;
  const review = (overrides: Record<string, unknown> = {}) => ({
    input: { scanId, verdict: 'MBD', confidence: 4, timeSpentMs: 12_000, aiVisible: true, ...overrides },
  });

  beforeAll(async () => {
    api = await startTestApi();
    clinician = (await api.signInAs('CLINICIAN')).session;
    admin = (await api.signInAs('ADMIN')).session;
    const [row] = await api.db.dataSource.query(
      `WITH p AS (INSERT INTO patients (patient_id) VALUES ('P-1') RETURNING id)
       INSERT INTO scans (patient_id, study_instance_uid, site) SELECT id, '2.25.1', 'North' FROM p RETURNING id`,
    );
    scanId = row.id;
  });
  afterAll(() => api.close());

  it('unknown scan id: NOT_FOUND', async () => {
    await expectRejected(api.graphql(`{ scan(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, clinician), 'NOT_FOUND', /No scan with id/);
    await expectRejected(api.graphql(`{ scan(id: "not-a-uuid") { id } }`, {}, clinician), 'BAD_USER_INPUT', /is not a valid scan id/);
  });

  it('confidence 9: BAD_USER_INPUT naming the field', async () => {
    await expectRejected(api.graphql(REVIEW, review({ confidence: 9 }), clinician), 'BAD_USER_INPUT', /confidence must not be greater than 5/);
  });

  it('review by a caller without the right: FORBIDDEN', async () => {
    const integrator = await api.signInAs('INTEGRATOR');
    const { secret } = await new ApiTokensService(api.db.dataSource).create({ userId: integrator.user.id, role: 'INTEGRATOR' }, { name: 'pacs', scopes: ['scans:read'], expiresInDays: 30 });
    await expectRejected(api.graphql(REVIEW, review(), secret), 'FORBIDDEN', /reviews:write is not allowed for this API token/);
    await expectRejected(api.graphql(REVIEW, review(), integrator.session), 'FORBIDDEN', /reviews:write is not allowed for the INTEGRATOR role/);
  });

  it('expired, revoked and malformed tokens: UNAUTHENTICATED with the reason', async () => {
    const integrator = await api.signInAs('INTEGRATOR');
    const service = new ApiTokensService(api.db.dataSource);
    const expired = await service.create({ userId: integrator.user.id, role: 'INTEGRATOR' }, { name: 'old', scopes: ['scans:read'], expiresInDays: 1 });
    await api.db.dataSource.query(`UPDATE api_tokens SET expires_at = now() - interval '1 day' WHERE id = $1`, [expired.token.id]);
    const revoked = await service.create({ userId: integrator.user.id, role: 'INTEGRATOR' }, { name: 'gone', scopes: ['scans:read'], expiresInDays: 1 });
    await service.revoke(revoked.token.id);

    await expectRejected(api.graphql('{ me { id } }', {}, expired.secret), 'UNAUTHENTICATED', /API token expired on/);
    await expectRejected(api.graphql('{ me { id } }', {}, revoked.secret), 'UNAUTHENTICATED', /API token was revoked on/);
    await expectRejected(api.graphql('{ me { id } }', {}, 'bsk_short'), 'UNAUTHENTICATED', /API token is malformed/);
    await expectRejected(api.graphql('{ me { id } }', {}, `bsk_${'A'.repeat(43)}`), 'UNAUTHENTICATED', /API token is not recognised/);
    await expectRejected(api.graphql('{ me { id } }', {}, 'eyJnot-a-session'), 'UNAUTHENTICATED', /Session is invalid or has expired/);
    const anonymous = await api.graphql(REVIEW, review());
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('malformed cursor: BAD_USER_INPUT', async () => {
    await expectRejected(api.graphql(`{ worklist(after: "%%%") { edges { cursor } } }`, {}, clinician), 'BAD_USER_INPUT', /Cursor is malformed/);
    const foreign = Buffer.from(JSON.stringify(['ARRIVAL', '2026-01-01 00:00:00', scanId])).toString('base64url');
    await expectRejected(
      api.graphql(`query($after: String) { worklist(after: $after, sort: AI_PRIORITY) { edges { cursor } } }`, { after: foreign }, clinician),
      'BAD_USER_INPUT',
      /Cursor is malformed|made for sort ARRIVAL/,
    );
    await expectRejected(api.graphql(`{ worklist(first: 5000) { edges { cursor } } }`, {}, clinician), 'BAD_USER_INPUT', /first must be between 1 and 200|cost/);
  });

  it('ground truth for a missing scan: NOT_FOUND', async () => {
    await expectRejected(
      api.graphql(
        `mutation { recordGroundTruth(input: { scanId: "00000000-0000-4000-8000-000000000000", mbd: true, source: BIOPSY, diagnosedOn: "2026-01-05" }) { id } }`,
        {},
        clinician,
      ),
      'NOT_FOUND',
      /No scan with id/,
    );
    await expectRejected(
      api.graphql(`mutation($id: ID!) { recordGroundTruth(input: { scanId: $id, mbd: true, source: BIOPSY, diagnosedOn: "2999-01-05" }) { id } }`, { id: scanId }, clinician),
      'BAD_USER_INPUT',
      /in the future/,
    );
  });

  it('duplicate user e-mail (in any letter case): BAD_USER_INPUT', async () => {
    const create = (email: string) =>
      api.graphql(`mutation($email: String!) { createUser(input: { email: $email, name: "Dr A", role: CLINICIAN, password: "correct horse battery" }) { id } }`, { email }, admin);
    expect((await create('dr.a@hospital.test')).errors).toBeUndefined();
    await expectRejected(create('Dr.A@Hospital.test'), 'BAD_USER_INPUT', /already exists/);
    await expectRejected(create('not-an-email'), 'BAD_USER_INPUT', /email must be an e-mail address/);
    await expectRejected(
      api.graphql(`mutation { createUser(input: { email: "x@hospital.test", name: "X", role: LEAD }) { id } }`, {}, clinician),
      'FORBIDDEN',
      /users:manage is not allowed for the CLINICIAN role/,
    );
  });

  it('a query 30 levels deep: BAD_USER_INPUT before anything runs', async () => {
    let selection = 'id';
    for (let level = 0; level < 15; level += 1) selection = `patient { scans { ${selection} } }`;
    const query = `{ scan(id: "${scanId}") { ${selection} } }`;
    const before = Number((await api.db.dataSource.query('SELECT count(*) FROM audit_events'))[0].count);
    await expectRejected(api.graphql(query, {}, clinician), 'BAD_USER_INPUT', /nested 3[0-9] levels deep; the limit is 12/);
    expect(Number((await api.db.dataSource.query('SELECT count(*) FROM audit_events'))[0].count)).toBe(before);
  });

  it('wrong password: one message for both unknown e-mail and wrong password, then rate-limited', async () => {
    const known = await api.signInAs('CLINICIAN', 'a long enough password');
    const signIn = (email: string, password: string) =>
      api.graphql(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }`, { e: email, p: password });
    const wrongPassword = await signIn(known.user.email, 'wrong password!!');
    const unknownEmail = await signIn('nobody@hospital.test', 'wrong password!!');
    expect(wrongPassword.errors?.[0]?.message).toBe('E-mail or password is incorrect');
    expect(unknownEmail.errors?.[0]?.message).toBe('E-mail or password is incorrect');
    for (let i = 0; i < 3; i += 1) await signIn(known.user.email, 'wrong password!!');
    const limited = await signIn(known.user.email, 'a long enough password');
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('limit failed sign-ins per browser address the portal forwards, not per portal server', async () => {
    const other = await api.signInAs('CLINICIAN', 'another long password');
    const signInFrom = (address: string, email: string, password: string) =>
      api.graphql(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }`, { e: email, p: password }, undefined, { 'x-forwarded-for': address });
    for (let i = 0; i < 5; i += 1) await signInFrom('203.0.113.7', `guess${i}@hospital.test`, 'wrong password!!');
    expect((await signInFrom('203.0.113.7', other.user.email, 'another long password')).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await signInFrom('203.0.113.8', other.user.email, 'another long password')).data?.signIn.id).toBe(other.user.id);
  });
});
