import { seedSyntheticScans } from '@bonescan/db';
import { createRandom } from '@bonescan/stats';
import { startTestApi, type TestApi } from '../testing/test-api';

const SAMPLE = `query($input: BalancedCaseSampleInput!) { sampleBalancedCases(input: $input) { scanIds withMbd withoutMbd } }`;
const CREATE = `mutation($input: CreateReaderStudyInput!) { createReaderStudy(input: $input) { id name mode status caseCount createdBy { id } } }`;
const QUEUE = `query($id: ID!) { readerStudyQueue(id: $id) { total done study { mode }
  cases { caseId order views { view width } prediction { probability } reading { verdict aiVisible readerStudyId } } } }`;
const READ = `mutation($input: ReaderStudyReadingInput!) { submitReaderStudyReading(input: $input) { id aiVisible readerStudyId verdict } }`;
const ESTIMATE = 'value lower upper reason';
const RESULTS = `query($id: ID!) { readerStudyResults(id: $id) { cases casesWithGroundTruth reads readerScoreMapping
  readers { reader { id } casesRead medianSecondsPerCase totalMinutes figures { positives negatives auc { ${ESTIMATE} } f1 { ${ESTIMATE} } sensitivity { value } specificity { value } } }
  readerAuc { median iqr q1 q3 readers reason } readerF1 { median readers }
  ai { casesRead medianSecondsPerCase figures { auc { ${ESTIMATE} } f1 { value } } } aiAucBootstrap { ${ESTIMATE} method } modelVersion { id }
  readings { caseNumber reader { id } verdict confidence timeSpentMs aiVisible groundTruthMbd } } }`;

/** Three physicians with known rates read a balanced 134-case study blinded, as in the paper. */
const READERS = [
  { sensitivity: 0.9, specificity: 0.8, secondsPerCase: 12 },
  { sensitivity: 0.8, specificity: 0.85, secondsPerCase: 15 },
  { sensitivity: 0.7, specificity: 0.9, secondsPerCase: 9 },
];

describe('reader study, the paper’s round: balanced sample → blinded study → randomised queues → results', () => {
  let api: TestApi;
  let lead: string;
  let modelId: string;
  const truth = new Map<string, boolean>();
  const random = createRandom(134);

  beforeAll(async () => {
    api = await startTestApi();
    lead = (await api.signInAs('LEAD')).session;
    const recorder = (await api.signInAs('LEAD')).user;
    modelId = (await api.createModelVersion({ status: 'ACTIVE' })).id;
    // Fixed ids: the ground truth drawn below and the balanced sample (ordered by a hash of the id) are the same every run.
    await seedSyntheticScans(api.db.dataSource, { count: 400, modelVersionId: modelId, idSeed: 134 });
    // Truth drawn as Bernoulli(AI probability), probability uniform: the AI's AUC is then 5/6.
    const scans: Array<{ scan_id: string; probability: number }> = await api.db.dataSource.query(
      'SELECT scan_id, probability FROM predictions ORDER BY scan_id',
    );
    scans.forEach((s) => truth.set(s.scan_id, random() < s.probability));
    await api.db.dataSource.query(
      `INSERT INTO ground_truths (scan_id, mbd, source, diagnosed_on, recorded_by_id)
       SELECT id, m, 'BIOPSY', current_date, $3 FROM unnest($1::uuid[], $2::bool[]) AS t(id, m)`,
      [[...truth.keys()], [...truth.values()], recorder.id],
    );
  });
  afterAll(() => api.close());

  it('runs a blinded round and recovers each reader’s planted AUC, the AI’s, and time per case', async () => {
    const sample = await api.graphql(SAMPLE, { input: { count: 134, seed: 1 } }, lead);
    expect(sample.errors).toBeUndefined();
    const { scanIds, withMbd, withoutMbd } = sample.data!.sampleBalancedCases;
    expect([scanIds.length, withMbd, withoutMbd]).toEqual([134, 67, 67]);
    expect(scanIds.filter((id: string) => truth.get(id))).toHaveLength(67);
    expect((await api.graphql(SAMPLE, { input: { count: 134, seed: 1 } }, lead)).data!.sampleBalancedCases.scanIds).toEqual(scanIds);

    const created = await api.graphql(CREATE, { input: { name: 'External centre, blinded', mode: 'BLINDED', scanIds } }, lead);
    expect(created.errors).toBeUndefined();
    const study = created.data!.createReaderStudy;
    expect(study).toMatchObject({ mode: 'BLINDED', status: 'OPEN', caseCount: 134 });

    const readers = await Promise.all(READERS.map(() => api.signInAs('CLINICIAN')));
    const orders: string[][] = [];
    for (const [k, reader] of readers.entries()) {
      const queue = await api.graphql(QUEUE, { id: study.id }, reader.session);
      expect(queue.errors).toBeUndefined();
      const cases = queue.data!.readerStudyQueue.cases as Array<{ caseId: string; prediction: unknown; views: unknown[] }>;
      expect(cases.every((c) => c.prediction === null && c.views.length === 2)).toBe(true);
      orders.push(cases.map((c) => c.caseId));
      // Exactly the planted share of each class is called MBD; confidence is random, time per case fixed.
      const caseScans: Array<{ id: string; scan_id: string }> = await api.db.dataSource.query(
        'SELECT id, scan_id FROM reader_study_cases WHERE reader_study_id = $1',
        [study.id],
      );
      const scanOf = new Map(caseScans.map((c) => [c.id, c.scan_id]));
      const hits = { pos: Math.round(READERS[k].sensitivity * 67), neg: Math.round((1 - READERS[k].specificity) * 67) };
      for (const c of cases) {
        const positive = truth.get(scanOf.get(c.caseId)!)!;
        const callMbd = positive ? hits.pos-- > 0 : hits.neg-- > 0;
        const input = {
          caseId: c.caseId,
          verdict: callMbd ? 'MBD' : 'NO_MBD',
          confidence: 1 + Math.floor(random() * 5),
          timeSpentMs: READERS[k].secondsPerCase * 1000,
        };
        const read = await api.graphql(READ, { input }, reader.session);
        expect(read.errors).toBeUndefined();
        expect(read.data!.submitReaderStudyReading).toMatchObject({ aiVisible: false, readerStudyId: study.id });
      }
      const after = await api.graphql(QUEUE, { id: study.id }, reader.session);
      expect(after.data!.readerStudyQueue).toMatchObject({ total: 134, done: 134 });
      expect(after.data!.readerStudyQueue.cases.map((c: { caseId: string }) => c.caseId)).toEqual(orders[k]);
    }
    // Same cases for all, in a different order for each reader.
    expect(new Set(orders.map((o) => [...o].sort().join())).size).toBe(1);
    expect(new Set(orders.map((o) => o.join())).size).toBe(READERS.length);
    // Study reads are research: the scans' clinical reading clock did not move.
    const [{ count }] = await api.db.dataSource.query(`SELECT count(*)::int AS count FROM scans WHERE first_read_at IS NOT NULL`);
    expect(count).toBe(0);

    const open = await api.graphql(RESULTS, { id: study.id }, lead);
    expect(open.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringMatching(/is still open: its readings stay blind until a lead closes it/),
    });
    expect((await api.graphql(`mutation($id: ID!) { closeReaderStudy(id: $id) { status } }`, { id: study.id }, lead)).errors).toBeUndefined();
    const { data, errors } = await api.graphql(RESULTS, { id: study.id }, lead);
    expect(errors).toBeUndefined();
    const r = data!.readerStudyResults;
    expect(r).toMatchObject({ cases: 134, casesWithGroundTruth: 134, reads: 402 });
    // One row per read for the export: every case read once by each of the three readers, blinded.
    expect(r.readings).toHaveLength(402);
    const readsPerCase = new Map<number, number>();
    for (const reading of r.readings) readsPerCase.set(reading.caseNumber, (readsPerCase.get(reading.caseNumber) ?? 0) + 1);
    expect([...readsPerCase.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 134 }, (_, i) => i + 1));
    expect([...readsPerCase.values()].every((n) => n === 3)).toBe(true);
    expect(r.readings.every((reading: { aiVisible: boolean; groundTruthMbd: boolean | null }) => !reading.aiVisible && reading.groundTruthMbd !== null)).toBe(
      true,
    );
    const plantedAuc = new Map(readers.map((reader, k) => [reader.user.id, (READERS[k].sensitivity + READERS[k].specificity) / 2]));
    for (const result of r.readers) {
      const k = readers.findIndex((reader) => reader.user.id === result.reader.id);
      expect(result.casesRead).toBe(134);
      expect(result.figures.sensitivity.value).toBeCloseTo(READERS[k].sensitivity, 1);
      expect(result.figures.auc.lower).toBeLessThanOrEqual(plantedAuc.get(result.reader.id)!);
      expect(result.figures.auc.upper).toBeGreaterThanOrEqual(plantedAuc.get(result.reader.id)!);
      expect(result.medianSecondsPerCase).toBe(READERS[k].secondsPerCase);
      expect(result.totalMinutes).toBeCloseTo((134 * READERS[k].secondsPerCase) / 60, 6);
    }
    const aucs = r.readers.map((x: { figures: { auc: { value: number } } }) => x.figures.auc.value).sort((a: number, b: number) => a - b);
    expect(r.readerAuc).toMatchObject({ readers: 3, median: aucs[1], reason: null });
    expect(r.readerAuc.iqr).toBeCloseTo(r.readerAuc.q3 - r.readerAuc.q1, 12);
    expect(r.readerAuc.q1).toBeCloseTo((aucs[0] + aucs[1]) / 2, 12);
    expect(r.modelVersion.id).toBe(modelId);
    expect(r.aiAucBootstrap.method).toMatch(/bootstrap \(100 resamples/);
    expect(r.aiAucBootstrap.lower).toBeLessThanOrEqual(5 / 6);
    expect(r.aiAucBootstrap.upper).toBeGreaterThanOrEqual(5 / 6);
    expect(r.ai.figures.auc.value).toBeCloseTo(r.aiAucBootstrap.value, 12);
    expect(r.ai.medianSecondsPerCase).toBe(1);
  });

  it('an aided study shows the AI and records the reading as aided, with hotspot reasons', async () => {
    const { data } = await api.graphql(SAMPLE, { input: { count: 4, seed: 3 } }, lead);
    const created = await api.graphql(CREATE, { input: { name: 'Aided pilot', mode: 'AIDED', scanIds: data!.sampleBalancedCases.scanIds } }, lead);
    const reader = await api.signInAs('CLINICIAN');
    const queue = await api.graphql(QUEUE, { id: created.data!.createReaderStudy.id }, reader.session);
    const [first] = queue.data!.readerStudyQueue.cases;
    expect(first.prediction.probability).toEqual(expect.any(Number));
    const input = {
      caseId: first.caseId,
      verdict: 'NO_MBD',
      confidence: 5,
      timeSpentMs: 8000,
      hotspotAssessments: [{ hotspotIndex: 0, reason: 'DEGENERATIVE' }],
    };
    const read = await api.graphql(READ, { input }, reader.session);
    expect(read.errors).toBeUndefined();
    expect(read.data!.submitReaderStudyReading).toMatchObject({ aiVisible: true, verdict: 'NO_MBD' });
  });

  it('the reader’s case type carries no patient or scan identifiers', async () => {
    const { errors } = await api.graphql(`{ readerStudies { id } }`, {}, lead);
    expect(errors).toBeUndefined();
    for (const field of ['patient { name }', 'scanId', 'scan { id }', 'accessionNumber']) {
      const probe = await api.graphql(
        `query($id: ID!) { readerStudyQueue(id: $id) { cases { ${field} } } }`,
        { id: '00000000-0000-4000-8000-000000000000' },
        lead,
      );
      expect(probe.errors?.[0]?.message).toMatch(/Cannot query field/);
    }
  });

  it('draws the same balanced sample with a filter that keeps every scan as without one (scans joined only to filter)', async () => {
    const draw = async (input: Record<string, unknown>) =>
      (await api.graphql(SAMPLE, { input: { count: 40, seed: 5, ...input } }, lead)).data!.sampleBalancedCases.scanIds;
    const everything = { from: new Date(Date.now() - 3000 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
    const unfiltered = await draw({});
    expect(unfiltered).toHaveLength(40);
    expect(await draw({ range: everything })).toEqual(unfiltered);
  });
});
