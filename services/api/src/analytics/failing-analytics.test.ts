import { seedSyntheticScans } from '@bonescan/db';
import { startTestApi, type TestApi } from '../testing/test-api';

type Response = { errors?: Array<{ message: string; extensions?: { code?: string } }>; data?: Record<string, any> | null };

/** Bad input to analytics and reader studies: a coded error that says what was wrong, or null figures with a reason — never 0, never a half-written study. */
describe('bad input to analytics and reader studies', () => {
  let api: TestApi;
  let lead: string;
  let clinician: string;
  let modelId: string;
  let scanIds: string[];
  const range = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
  const ESTIMATE = 'value lower upper reason';

  const counts = async () => {
    const [row] = await api.db.dataSource.query(
      `SELECT (SELECT count(*) FROM reviews) AS reviews, (SELECT count(*) FROM reader_studies) AS studies,
              (SELECT count(*) FROM reader_study_cases) AS cases, (SELECT count(*) FROM scans WHERE first_read_at IS NOT NULL) AS read`,
    );
    return row as Record<string, string>;
  };
  const expectRejected = async (call: Promise<Response>, code: string, message: RegExp) => {
    const before = await counts();
    const { errors } = await call;
    expect(errors?.[0]?.extensions?.code).toBe(code);
    expect(errors?.[0]?.message).toMatch(message);
    expect(await counts()).toEqual(before);
  };
  const createStudy = async (mode: string, ids: string[]) =>
    (
      await api.graphql(
        `mutation($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id } }`,
        { input: { name: `${mode} study`, mode, scanIds: ids } },
        lead,
      )
    ).data!.createReaderStudy.id as string;
  const queue = async (studyId: string, session: string) =>
    (await api.graphql(`query($id: ID!) { readerStudyQueue(id: $id) { cases { caseId } } }`, { id: studyId }, session)).data!.readerStudyQueue.cases as Array<{
      caseId: string;
    }>;
  const READ = `mutation($input: ReaderStudyReadingInput!) { submitReaderStudyReading(input: $input) { id } }`;
  const RESULTS = `query($id: ID!) { readerStudyResults(id: $id) { reads readers { casesRead figures { auc { ${ESTIMATE} } } }
    readerAuc { median iqr readers reason } ai { figures { auc { value } } } aiAucBootstrap { ${ESTIMATE} } } }`;

  beforeAll(async () => {
    api = await startTestApi();
    lead = (await api.signInAs('LEAD')).session;
    clinician = (await api.signInAs('CLINICIAN')).session;
    modelId = (await api.createModelVersion()).id;
    // Predictions but no ground truth recorded yet.
    await seedSyntheticScans(api.db.dataSource, { count: 40, modelVersionId: modelId });
    scanIds = (await api.db.dataSource.query('SELECT scan_id FROM predictions ORDER BY scan_id')).map((r: { scan_id: string }) => r.scan_id);
  });
  afterAll(() => api.close());

  it('an empty range and a range that ends before it starts: BAD_USER_INPUT saying so', async () => {
    const query = `query($range: DateRange!, $model: ID!) { diagnosticPerformance(range: $range, modelVersionId: $model) { ai { cases } } }`;
    await expectRejected(api.graphql(query, { range: { from: range.from, to: range.from }, model: modelId }, lead), 'BAD_USER_INPUT', /range is empty/);
    await expectRejected(
      api.graphql(query, { range: { from: range.to, to: range.from }, model: modelId }, lead),
      'BAD_USER_INPUT',
      /range ends .* before it starts/,
    );
    const turnaround = `query($range: DateRange!) { turnaround(range: $range) { total { scans } } }`;
    await expectRejected(api.graphql(turnaround, { range: { from: range.to, to: range.from } }, lead), 'BAD_USER_INPUT', /before it starts/);
  });

  it('no ground truth yet: every accuracy figure is null with its reason, never 0', async () => {
    const figures = `cases sensitivity { ${ESTIMATE} } specificity { ${ESTIMATE} } auc { ${ESTIMATE} } f1 { ${ESTIMATE} }`;
    const { data, errors } = await api.graphql(
      `query($range: DateRange!, $model: ID!) { diagnosticPerformance(range: $range, modelVersionId: $model) {
        ai { ${figures} } readersUnaided { ${figures} } readersAided { ${figures} } specificityGain { ${ESTIMATE} } followUpImagingAvoided { ${ESTIMATE} } } }`,
      { range, model: modelId },
      lead,
    );
    expect(errors).toBeUndefined();
    const d = data!.diagnosticPerformance;
    for (const arm of [d.ai, d.readersUnaided, d.readersAided]) {
      expect(arm.cases).toBe(0);
      for (const figure of [arm.sensitivity, arm.specificity, arm.auc, arm.f1]) {
        expect(figure.value).toBeNull();
        expect(figure.reason).toMatch(/ground truth|MBD/);
      }
    }
    expect(d.specificityGain).toMatchObject({ value: null, reason: expect.stringMatching(/ground truth/) });
    expect(d.followUpImagingAvoided).toMatchObject({ value: null, reason: expect.stringMatching(/read both/) });
    const sim = await api.graphql(
      `query($model: ID!) { thresholdSimulation(modelVersionId: $model, threshold: 0.3) { scans sensitivity { ${ESTIMATE} } } }`,
      { model: modelId },
      lead,
    );
    expect(sim.data!.thresholdSimulation).toMatchObject({ scans: 0, sensitivity: { value: null, reason: expect.stringMatching(/no scan .* ground truth/) } });
  });

  it('a range with no scans: counts are 0, percentiles and κ are null with reasons', async () => {
    const empty = { from: '2001-01-01T00:00:00Z', to: '2001-02-01T00:00:00Z' };
    const t = await api.graphql(
      `query($range: DateRange!) { turnaround(range: $range) { total { scans overTargetShare arrivalToAi { p50Minutes } } periods { scans } } }`,
      { range: empty },
      lead,
    );
    expect(t.data!.turnaround).toEqual({ total: { scans: 0, overTargetShare: null, arrivalToAi: { p50Minutes: null } }, periods: [] });
    const a = await api.graphql(
      `query($range: DateRange!, $model: ID!) { agreement(range: $range, modelVersionId: $model) { reads kappa { ${ESTIMATE} } } }`,
      { range: empty, model: modelId },
      lead,
    );
    expect(a.data!.agreement).toMatchObject({ reads: 0, kappa: { value: null, reason: expect.stringMatching(/no reads/) } });
  });

  it('a study with no reads, and a reader with a single case: figures null with the reason', async () => {
    const recorder = (await api.signInAs('LEAD')).user;
    await api.db.dataSource.query(
      `INSERT INTO ground_truths (scan_id, mbd, source, diagnosed_on, recorded_by_id) SELECT id, n % 2 = 0, 'MRI', current_date, $2
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [scanIds.slice(0, 6), recorder.id],
    );
    // Results come once a study is closed: one closed unread, one closed after a single reading.
    const close = (id: string) => api.graphql(`mutation($id: ID!) { closeReaderStudy(id: $id) { status } }`, { id }, lead);
    const unread = await createStudy('BLINDED', scanIds.slice(0, 6));
    await close(unread);
    const none = await api.graphql(RESULTS, { id: unread }, lead);
    expect(none.errors).toBeUndefined();
    expect(none.data!.readerStudyResults).toMatchObject({
      reads: 0,
      readers: [],
      readerAuc: { median: null, iqr: null, readers: 0, reason: expect.stringMatching(/no reader/) },
    });

    const studyId = await createStudy('BLINDED', scanIds.slice(0, 6));
    const [first] = await queue(studyId, clinician);
    const read = await api.graphql(READ, { input: { caseId: first.caseId, verdict: 'MBD', confidence: 3, timeSpentMs: 5000 } }, clinician);
    expect(read.errors).toBeUndefined();
    await close(studyId);
    const one = await api.graphql(RESULTS, { id: studyId }, lead);
    const [reader] = one.data!.readerStudyResults.readers;
    expect(reader.casesRead).toBe(1);
    expect(reader.figures.auc).toMatchObject({ value: null, reason: expect.stringMatching(/at least 2 cases with MBD confirmed and 2/) });
    expect(one.data!.readerStudyResults.readerAuc).toMatchObject({ median: null, reason: expect.stringMatching(/no reader/) });
  });

  it('a clinician calling analytics: FORBIDDEN for every query', async () => {
    const studyId = await createStudy('AIDED', scanIds.slice(0, 2));
    const calls: Array<[string, Record<string, unknown>]> = [
      [`query($range: DateRange!) { turnaround(range: $range) { targetMinutes } }`, { range }],
      [`query($range: DateRange!, $m: ID!) { agreement(range: $range, modelVersionId: $m) { reads } }`, { range, m: modelId }],
      [`query($range: DateRange!, $m: ID!) { diagnosticPerformance(range: $range, modelVersionId: $m) { readerScoreMapping } }`, { range, m: modelId }],
      [`query($m: ID!) { thresholdSimulation(modelVersionId: $m, threshold: 0.5) { scans } }`, { m: modelId }],
    ];
    for (const [query, variables] of calls)
      await expectRejected(api.graphql(query, variables, clinician), 'FORBIDDEN', /analytics:read is not allowed for the CLINICIAN role/);
    await expectRejected(
      api.graphql(`query($id: ID!) { readerStudyResults(id: $id) { reads } }`, { id: studyId }, clinician),
      'FORBIDDEN',
      /reader-studies:manage is not allowed for the CLINICIAN role/,
    );
    await expectRejected(
      api.graphql(
        `mutation($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id } }`,
        { input: { name: 'x', mode: 'AIDED', scanIds: scanIds.slice(0, 2) } },
        clinician,
      ),
      'FORBIDDEN',
      /reader-studies:manage/,
    );
  });

  it('bad reader-study input: odd sample, too few cases, unknown or repeated scans, second reading, hotspots when blinded, closed study', async () => {
    const sample = `query($input: BalancedCaseSampleInput!) { sampleBalancedCases(input: $input) { scanIds } }`;
    await expectRejected(api.graphql(sample, { input: { count: 5 } }, lead), 'BAD_USER_INPUT', /count must be even/);
    await expectRejected(
      api.graphql(sample, { input: { count: 134 } }, lead),
      'BAD_USER_INPUT',
      /needs 67 scans with MBD and 67 without .* there are \d+ and \d+/,
    );
    const create = `mutation($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id } }`;
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expectRejected(
      api.graphql(create, { input: { name: 'x', mode: 'BLINDED', scanIds: [scanIds[0], unknown] } }, lead),
      'BAD_USER_INPUT',
      /1 scan id\(s\) do not exist/,
    );
    await expectRejected(
      api.graphql(create, { input: { name: 'x', mode: 'BLINDED', scanIds: [scanIds[0], scanIds[0]] } }, lead),
      'BAD_USER_INPUT',
      /listed twice/,
    );
    await expectRejected(
      api.graphql(create, { input: { name: '  ', mode: 'BLINDED', scanIds: scanIds.slice(0, 2) } }, lead),
      'BAD_USER_INPUT',
      /name must not be blank/,
    );

    const studyId = await createStudy('BLINDED', scanIds.slice(10, 14));
    const [first, second] = await queue(studyId, clinician);
    const reading = (caseId: string, extra: Record<string, unknown> = {}) => ({
      input: { caseId, verdict: 'NO_MBD', confidence: 4, timeSpentMs: 9000, ...extra },
    });
    expect((await api.graphql(READ, reading(first.caseId), clinician)).errors).toBeUndefined();
    await expectRejected(api.graphql(READ, reading(first.caseId), clinician), 'CONFLICT', /already read this case/);
    await expectRejected(
      api.graphql(READ, reading(second.caseId, { hotspotAssessments: [{ hotspotIndex: 0, reason: 'URINE' }] }), clinician),
      'BAD_USER_INPUT',
      /blinded/,
    );
    const closed = await api.graphql(`mutation($id: ID!) { closeReaderStudy(id: $id) { status } }`, { id: studyId }, lead);
    expect(closed.data!.closeReaderStudy.status).toBe('CLOSED');
    await expectRejected(api.graphql(READ, reading(second.caseId), clinician), 'CONFLICT', /closed/);
  });
});
