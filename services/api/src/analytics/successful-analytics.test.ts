import { seedSyntheticScans } from '@bonescan/db';
import { moveTestScanClocks, plantTestPredictions } from '@bonescan/db/testing';
import { createRandom } from '@bonescan/stats';
import { startTestApi, type TestApi } from '../testing/test-api';

/**
 * Planted truth: 2,000 scans whose ground truth, AI calls and reads are drawn with known rates
 * (exact numbers per class, cases chosen at random), so every figure the API reports has a known
 * true value that its confidence interval must cover.
 */
const PLANT = {
  scans: 2000,
  positives: 600,
  ai: { sensitivity: 0.85, specificity: 0.8 },
  unaided: { sensitivity: 0.8, specificity: 0.7 },
  aided: { sensitivity: 0.8, specificity: 0.85 },
  targetMinutes: 90,
};
const random = createRandom(20261127);
const shuffled = <T>(items: T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};
/** Marks exactly round(share × n) of the n cases, chosen at random. */
const exactly = (n: number, share: number): boolean[] => shuffled(Array.from({ length: n }, (_, i) => i < Math.round(share * n)));

interface Rates {
  sensitivity: number;
  specificity: number;
}
/** AUC of a score that is high (U(0.5,1)) with probability a for positives, low (U(0,0.5)) with probability b for negatives. */
const mixtureAuc = ({ sensitivity: a, specificity: b }: Rates) => a * b + 0.5 * a * (1 - b) + 0.5 * (1 - a) * b;
const f1 = ({ sensitivity, specificity }: Rates, positives: number, negatives: number) => {
  const tp = sensitivity * positives;
  return (2 * tp) / (2 * tp + (1 - specificity) * negatives + (positives - tp));
};

type Figure = { value: number | null; lower: number | null; upper: number | null; reason: string | null };
const expectCovers = (figure: Figure, planted: number) => {
  expect(figure.reason).toBeNull();
  expect(figure.lower).toBeLessThanOrEqual(planted);
  expect(figure.upper).toBeGreaterThanOrEqual(planted);
};

const ESTIMATE = 'value lower upper reason';
const FIGURES = `cases positives negatives sensitivity { ${ESTIMATE} } specificity { ${ESTIMATE} } auc { ${ESTIMATE} } f1 { ${ESTIMATE} }`;

describe('analytics recover planted values', () => {
  let api: TestApi;
  let lead: string;
  let modelId: string;
  const range = { from: new Date(Date.now() - 3 * 86_400_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
  const planted = {
    arrivalToAi: [] as number[],
    aiToRead: [] as number[],
    overTarget: 0,
    backlog: 0,
    reasons: new Map<string, number>(),
    truth: new Map<string, boolean>(),
  };

  beforeAll(async () => {
    api = await startTestApi({ env: { TURNAROUND_TARGET_MINUTES: String(PLANT.targetMinutes) } });
    lead = (await api.signInAs('LEAD')).session;
    const unaidedReader = (await api.signInAs('CLINICIAN')).user;
    const aidedReader = (await api.signInAs('CLINICIAN')).user;
    const recorder = (await api.signInAs('LEAD')).user;
    const model = await api.createModelVersion({ threshold: 0.5 });
    modelId = model.id;
    const ds = api.db.dataSource;
    await seedSyntheticScans(ds, { count: PLANT.scans, idSeed: 2026 }); // fixed ids: the planted draws below land on the same scans every run
    const scans: Array<{ id: string; arrived_at: Date }> = await ds.query('SELECT id, arrived_at FROM scans ORDER BY id');
    const negatives = PLANT.scans - PLANT.positives;
    const mbd = exactly(PLANT.scans, PLANT.positives / PLANT.scans);
    // Each draw is exact within its class: e.g. the AI calls exactly 85 % of the 600 positives MBD.
    const draw = (rates: Rates) => {
      const hits = { pos: exactly(PLANT.positives, rates.sensitivity), neg: exactly(negatives, 1 - rates.specificity) };
      let p = 0;
      let n = 0;
      return mbd.map((isPositive) => (isPositive ? hits.pos[p++] : hits.neg[n++]));
    };
    const aiPositive = draw(PLANT.ai);
    const unaidedPositive = draw(PLANT.unaided);
    const aidedPositive = draw(PLANT.aided);
    const probability = aiPositive.map((high) => (high ? 0.5 + 0.5 * random() : 0.5 * random()));
    const now = Date.now();
    const rows = scans.map((scan, i) => {
      const read = i % 10 !== 0;
      // Evenly spread durations: their percentiles are known exactly.
      const toAi = 1 + (4 * i) / (PLANT.scans - 1);
      const toRead = 30 + (60 * i) / (PLANT.scans - 1);
      const arrived = new Date(scan.arrived_at).getTime();
      planted.arrivalToAi.push(toAi);
      if (read) planted.aiToRead.push(toRead);
      else planted.backlog++;
      const waited = read ? toAi + toRead : (now - arrived) / 60_000;
      if (waited > PLANT.targetMinutes) planted.overTarget++;
      planted.truth.set(scan.id, mbd[i]);
      return { id: scan.id, arrived, toAi, toRead, read };
    });
    await moveTestScanClocks(
      ds,
      rows.map(({ id, toAi, toRead, read }) => ({
        id,
        toAiMinutes: toAi,
        toFirstReadMinutes: read ? toAi + toRead : null,
        toFinalReadMinutes: read ? toAi + toRead : null,
      })),
    );
    const hotspots = [{ view: 'AP' as const, x: 100, y: 200, intensity: 0.9, region: 'LUMBAR_SPINE' as const }];
    await plantTestPredictions(
      ds,
      modelId,
      rows.map((r, i) => ({ scanId: r.id, probability: probability[i], latencyMs: 801 + i, hotspots })),
    );
    await ds.query(
      `INSERT INTO ground_truths (scan_id, mbd, source, diagnosed_on, recorded_by_id)
       SELECT id, m, 'FOLLOW_UP', current_date, $3 FROM unnest($1::uuid[], $2::bool[]) AS t(id, m)`,
      [rows.map((r) => r.id), mbd, recorder.id],
    );
    // Aided readers give a reason for the AI's hotspot on AI-positive scans.
    const reasonOf = (i: number) => (aiPositive[i] ? (aidedPositive[i] ? 'METASTASIS' : 'DEGENERATIVE') : null);
    rows.forEach((_, i) => {
      const reason = reasonOf(i);
      if (reason) planted.reasons.set(reason, (planted.reasons.get(reason) ?? 0) + 1);
    });
    const insertReads = (readerId: string, aided: boolean, positive: boolean[]) =>
      ds.query(
        `INSERT INTO reviews (scan_id, reader_id, verdict, confidence, time_spent_ms, ai_visible, hotspot_assessments)
         SELECT id, $2, CASE WHEN pos THEN 'MBD' ELSE 'NO_MBD' END::verdict, c, 20000, $3,
                CASE WHEN reason IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('hotspotIndex', 0, 'reason', reason)) END
         FROM unnest($1::uuid[], $4::bool[], $5::int[], $6::text[]) AS t(id, pos, c, reason)`,
        [rows.map((r) => r.id), readerId, aided, positive, rows.map(() => 1 + Math.floor(random() * 5)), rows.map((_, i) => (aided ? reasonOf(i) : null))],
      );
    await insertReads(unaidedReader.id, false, unaidedPositive);
    await insertReads(aidedReader.id, true, aidedPositive);
  });
  afterAll(() => api.close());

  it('diagnosticPerformance: AI alone, readers unaided and aided, the specificity gain and follow-up avoided', async () => {
    const { data, errors } = await api.graphql(
      `query($range: DateRange!, $model: ID!) { diagnosticPerformance(range: $range, modelVersionId: $model) {
        ai { ${FIGURES} } readersUnaided { ${FIGURES} } readersAided { ${FIGURES} }
        specificityGain { ${ESTIMATE} } sensitivityChange { ${ESTIMATE} } followUpImagingAvoided { ${ESTIMATE} numerator denominator } readerScoreMapping } }`,
      { range, model: modelId },
      lead,
    );
    expect(errors).toBeUndefined();
    const d = data!.diagnosticPerformance;
    const negatives = PLANT.scans - PLANT.positives;
    const arms = [
      [d.ai, PLANT.ai, mixtureAuc(PLANT.ai)],
      // Confidence is independent of truth given the call, so a reader's AUC is (sensitivity + specificity) / 2.
      [d.readersUnaided, PLANT.unaided, (PLANT.unaided.sensitivity + PLANT.unaided.specificity) / 2],
      [d.readersAided, PLANT.aided, (PLANT.aided.sensitivity + PLANT.aided.specificity) / 2],
    ] as const;
    for (const [figures, rates, auc] of arms) {
      expect(figures).toMatchObject({ cases: PLANT.scans, positives: PLANT.positives, negatives });
      expectCovers(figures.sensitivity, rates.sensitivity);
      expectCovers(figures.specificity, rates.specificity);
      expectCovers(figures.auc, auc);
      expectCovers(figures.f1, f1(rates, PLANT.positives, negatives));
      expect(figures.auc.upper - figures.auc.lower).toBeLessThan(0.1);
    }
    expectCovers(d.specificityGain, PLANT.aided.specificity - PLANT.unaided.specificity);
    expect(d.specificityGain.lower).toBeGreaterThan(0);
    expectCovers(d.sensitivityChange, 0);
    // An unaided read sent a negative scan on and the aided read of it did not: independent draws.
    expectCovers(d.followUpImagingAvoided, (1 - PLANT.unaided.specificity) * PLANT.aided.specificity);
    expect(d.followUpImagingAvoided.denominator).toBe(negatives);
    expect(d.readerScoreMapping).toMatch(/EQUIVOCAL/);
  });

  it('agreement: κ, AI positives overturned and negatives upgraded, hotspot reasons counted', async () => {
    const { data, errors } = await api.graphql(
      `query($range: DateRange!, $model: ID!) { agreement(range: $range, modelVersionId: $model) {
        reads kappa { ${ESTIMATE} } observedAgreement aiPositivesOverturned { ${ESTIMATE} } aiNegativesUpgraded { ${ESTIMATE} } hotspotReasons { reason count } } }`,
      { range, model: modelId },
      lead,
    );
    expect(errors).toBeUndefined();
    const a = data!.agreement;
    expect(a.reads).toBe(2 * PLANT.scans);
    // AI and reader calls are independent given the truth; readers are half unaided, half aided.
    const prevalence = PLANT.positives / PLANT.scans;
    const ai = { pos: PLANT.ai.sensitivity, neg: 1 - PLANT.ai.specificity };
    const reader = { pos: PLANT.unaided.sensitivity, neg: 1 - (PLANT.unaided.specificity + PLANT.aided.specificity) / 2 };
    const both = (x: number, y: number) => x * y + (1 - x) * (1 - y);
    const observed = prevalence * both(ai.pos, reader.pos) + (1 - prevalence) * both(ai.neg, reader.neg);
    const aiPositive = prevalence * ai.pos + (1 - prevalence) * ai.neg;
    const readerPositive = prevalence * reader.pos + (1 - prevalence) * reader.neg;
    const expected = both(aiPositive, readerPositive);
    expectCovers(a.kappa, (observed - expected) / (1 - expected));
    expect(a.observedAgreement).toBeCloseTo(observed, 1);
    expectCovers(a.aiPositivesOverturned, (prevalence * ai.pos * (1 - reader.pos) + (1 - prevalence) * ai.neg * (1 - reader.neg)) / aiPositive);
    expectCovers(a.aiNegativesUpgraded, (prevalence * (1 - ai.pos) * reader.pos + (1 - prevalence) * (1 - ai.neg) * reader.neg) / (1 - aiPositive));
    const counted = Object.fromEntries(a.hotspotReasons.map((r: { reason: string; count: number }) => [r.reason, r.count]));
    expect(counted).toMatchObject({ METASTASIS: planted.reasons.get('METASTASIS'), DEGENERATIVE: planted.reasons.get('DEGENERATIVE'), URINE: 0 });
  });

  it('turnaround: p50/p90 of each interval, backlog and share over target', async () => {
    const { data, errors } = await api.graphql(
      `query($range: DateRange!) { turnaround(range: $range, groupBy: DAY) { targetMinutes
        total { scans backlog overTarget overTargetShare arrivalToAi { p50Minutes p90Minutes scans } aiToFirstRead { p50Minutes p90Minutes scans } arrivalToFinal { scans } }
        periods { start scans } } }`,
      { range },
      lead,
    );
    expect(errors).toBeUndefined();
    const t = data!.turnaround;
    const percentile = (xs: number[], q: number) => {
      const s = [...xs].sort((a, b) => a - b);
      const h = (s.length - 1) * q;
      return s[Math.floor(h)] + (h - Math.floor(h)) * (s[Math.ceil(h)] - s[Math.floor(h)]);
    };
    expect(t.targetMinutes).toBe(PLANT.targetMinutes);
    expect(t.total.scans).toBe(PLANT.scans);
    expect(t.total.arrivalToAi.p50Minutes).toBeCloseTo(3, 3);
    expect(t.total.arrivalToAi.p90Minutes).toBeCloseTo(4.6, 3);
    expect(t.total.aiToFirstRead.p50Minutes).toBeCloseTo(percentile(planted.aiToRead, 0.5), 3);
    expect(t.total.aiToFirstRead.p90Minutes).toBeCloseTo(percentile(planted.aiToRead, 0.9), 3);
    expect(t.total.arrivalToFinal.scans).toBe(PLANT.scans - planted.backlog);
    expect(t.total.backlog).toBe(planted.backlog);
    expect(t.total.overTarget).toBe(planted.overTarget);
    expect(t.total.overTargetShare).toBeCloseTo(planted.overTarget / PLANT.scans, 6);
    expect(t.periods.reduce((s: number, p: { scans: number }) => s + p.scans, 0)).toBe(PLANT.scans);
  });

  it('thresholdSimulation: sensitivity, specificity and workload at a stricter threshold', async () => {
    const { data, errors } = await api.graphql(
      `query($model: ID!) { thresholdSimulation(modelVersionId: $model, threshold: 0.75) {
        threshold currentThreshold scans sensitivity { ${ESTIMATE} } specificity { ${ESTIMATE} } currentSensitivity { ${ESTIMATE} } currentSpecificity { ${ESTIMATE} }
        flaggedShare { ${ESTIMATE} } flaggedPerDay currentFlaggedPerDay } }`,
      { model: modelId },
      lead,
    );
    expect(errors).toBeUndefined();
    const s = data!.thresholdSimulation;
    expect(s.scans).toBe(PLANT.scans);
    // Above 0.75 lies half of each uniform "high" draw and none of the "low" ones.
    expectCovers(s.sensitivity, PLANT.ai.sensitivity / 2);
    expectCovers(s.specificity, PLANT.ai.specificity + (1 - PLANT.ai.specificity) / 2);
    expect(s.currentSensitivity.value).toBeCloseTo(PLANT.ai.sensitivity, 10);
    expect(s.currentSpecificity.value).toBeCloseTo(PLANT.ai.specificity, 10);
    const prevalence = PLANT.positives / PLANT.scans;
    expectCovers(s.flaggedShare, prevalence * (PLANT.ai.sensitivity / 2) + (1 - prevalence) * ((1 - PLANT.ai.specificity) / 2));
    expect(s.flaggedPerDay).toBeCloseTo((s.flaggedShare.value * PLANT.scans) / 30, 6);
    expect(s.currentFlaggedPerDay).toBeGreaterThan(s.flaggedPerDay);
  });

  // Last: it changes the planted data. Arrival and truth are copied onto predictions by triggers.
  it('a corrected diagnosis reaches the figures at once', async () => {
    const [{ scan_id: scanId }] = await api.db.dataSource.query('SELECT scan_id FROM ground_truths WHERE mbd LIMIT 1');
    const corrected = await api.graphql(
      `mutation($input: RecordGroundTruthInput!) { recordGroundTruth(input: $input) { mbd } }`,
      { input: { scanId, mbd: false, source: 'BIOPSY', diagnosedOn: '2026-01-05' } },
      lead,
    );
    expect(corrected.errors).toBeUndefined();
    const { data } = await api.graphql(
      `query($range: DateRange!, $model: ID!) { diagnosticPerformance(range: $range, modelVersionId: $model) { ai { positives negatives } } }`,
      { range, model: modelId },
      lead,
    );
    expect(data!.diagnosticPerformance.ai).toEqual({ positives: PLANT.positives - 1, negatives: PLANT.scans - PLANT.positives + 1 });
  });
});
