import { seedSyntheticScans } from '@bonescan/db';
import { createTestDatabase, createTestModelVersion, moveTestScanClocks, plantTestPredictions, type TestDatabase } from '@bonescan/db/testing';
import { delongCi, type Label } from '@bonescan/stats';
import { AnalyticsService } from './analytics.service';
import type { DiagnosticFigures } from './diagnostic-figures';
import type { DateRange } from './estimate';

/**
 * Scores a model gives often differ by less than 10⁻⁴, most of all the many low scores of
 * negatives. The AI arm of diagnosticPerformance must rank them as the stored probabilities rank
 * them, from the daily packs as from the rows, and count only equal probabilities as ties.
 */
const DAY = 86_400_000;
const midnight = Math.floor(Date.now() / DAY) * DAY;
const dayA = midnight - 10 * DAY;
const dayB = dayA + DAY;
const dayC = dayB + DAY;
/** From 18:00 the day before A to 06:00 the day after C: three whole days and two partial ones. */
const acrossDays: DateRange = { from: new Date(dayA - 6 * 3_600_000), to: new Date(dayC + DAY + 6 * 3_600_000) };
const oneDay: DateRange = { from: new Date(dayA), to: new Date(dayA + DAY) };

interface Planted {
  at: number;
  probability: number;
  /** Ground truth; null while none is recorded. */
  mbd: boolean | null;
}
const hour = (day: number, h: number) => day + h * 3_600_000;
const on = (at: number, mbd: boolean | null, ...probabilities: number[]): Planted[] => probabilities.map((probability) => ({ at, probability, mbd }));
const PLANTED: Planted[] = [
  // Day A: 0.00087 … 0.00094 share one 10⁻⁴ step, and so do 0.70999 and 0.71; 0.25 is a real tie.
  ...on(hour(dayA, 8), true, 0.00094, 0.00091, 0.25, 0.25, 0.71),
  ...on(hour(dayA, 9), false, 0.00087, 0.00092, 0.0009, 0.25, 0.70999),
  ...on(hour(dayA, 10), null, 0.00088),
  // Day B and C: near-ties and real ties with the scores of other days.
  ...on(hour(dayB, 12), true, 0.000915, 0.5),
  ...on(hour(dayB, 13), false, 0.00093, 0.25, 0.5),
  ...on(hour(dayC, 1), true, 0.70999, 0.9),
  ...on(hour(dayC, 23), false, 0.000905, 0.71),
  // The partial days inside the range, and outside it.
  ...on(hour(dayA - DAY, 20), true, 0.00089),
  ...on(hour(dayA - DAY, 21), false, 0.000935),
  ...on(hour(dayC + DAY, 3), true, 0.25),
  ...on(hour(dayC + DAY, 4), false, 0.90001),
  ...on(hour(dayA - DAY, 10), true, 0.0001),
  ...on(hour(dayC + DAY, 9), false, 0.99),
];

/** Mann–Whitney kernel: a positive above a negative scores 1, a tie ½. */
const kernel = (positive: number, negative: number) => (positive > negative ? 1 : positive === negative ? 0.5 : 0);

/**
 * AUC and DeLong 95 % interval written out from their definitions (DeLong, DeLong &
 * Clarke-Pearson 1988): every positive against every negative, no sorting, no grouping.
 */
function delongByHand(positives: number[], negatives: number[]) {
  const v10 = positives.map((x) => negatives.reduce((s, y) => s + kernel(x, y), 0) / negatives.length);
  const v01 = negatives.map((y) => positives.reduce((s, x) => s + kernel(x, y), 0) / positives.length);
  const u = positives.reduce((s, x) => s + negatives.reduce((t, y) => t + kernel(x, y), 0), 0);
  const auc = u / (positives.length * negatives.length);
  const spread = (values: number[]) => values.reduce((s, v) => s + (v - auc) ** 2, 0) / (values.length - 1);
  const halfWidth = 1.959963984540054 * Math.sqrt(spread(v10) / positives.length + spread(v01) / negatives.length);
  return { u, auc, lower: Math.max(0, auc - halfWidth), upper: Math.min(1, auc + halfWidth) };
}

interface Planting {
  db: TestDatabase;
  service: AnalyticsService;
  modelId: string;
  /** The AUC of the planted cases that arrived in the range, by hand. */
  byHand: (range: DateRange) => ReturnType<typeof delongByHand>;
  /** diagnosticPerformance's AI AUC and interval: those of the cases expanded from the predictions table to the bit, and those by hand. */
  expectAucOfCases: (range: DateRange) => Promise<DiagnosticFigures>;
}

/** A database whose one model version (threshold 0.5) has called the planted cases, with their ground truth. */
async function plantedDatabase(cases: Planted[], idSeed: number): Promise<Planting> {
  const db = await createTestDatabase();
  const ds = db.dataSource;
  const [{ id: leadId }] = await ds.query(`INSERT INTO users (email, name, role, active) VALUES ('lead@planted.test', 'Lead', 'LEAD', true) RETURNING id`);
  const { id: modelId } = await createTestModelVersion(ds, { name: 'planted', version: '1', status: 'SHADOW' });
  await seedSyntheticScans(ds, { count: cases.length, idSeed });
  const scanIds: string[] = (await ds.query(`SELECT id FROM scans ORDER BY id`)).map((s: { id: string }) => s.id);
  await moveTestScanClocks(
    ds,
    scanIds.map((id, i) => ({ id, arrivedAt: new Date(cases[i].at) })),
  );
  await plantTestPredictions(
    ds,
    modelId,
    scanIds.map((scanId, i) => ({ scanId, probability: cases[i].probability })),
  );
  await ds.query(
    `INSERT INTO ground_truths (scan_id, mbd, source, diagnosed_on, recorded_by_id)
     SELECT id, m, 'FOLLOW_UP', current_date, $3 FROM unnest($1::uuid[], $2::bool[]) AS t(id, m) WHERE m IS NOT NULL`,
    [scanIds, cases.map((c) => c.mbd), leadId],
  );
  const service = new AnalyticsService(ds);
  const judged = (range: DateRange) => cases.filter((c) => c.mbd !== null && c.at >= range.from.getTime() && c.at < range.to.getTime());
  const byHand = (range: DateRange) =>
    delongByHand(
      judged(range)
        .filter((c) => c.mbd)
        .map((c) => c.probability),
      judged(range)
        .filter((c) => !c.mbd)
        .map((c) => c.probability),
    );
  /** The cases expanded one by one from the predictions table, through the row-wise DeLong of @bonescan/stats. */
  const expanded = async (range: DateRange) => {
    const rows: Array<{ probability: number; mbd: boolean }> = await ds.query(
      `SELECT probability, ground_truth_mbd AS mbd FROM predictions
       WHERE model_version_id = $1 AND ground_truth_mbd IS NOT NULL AND scan_arrived_at >= $2 AND scan_arrived_at < $3`,
      [modelId, range.from, range.to],
    );
    return delongCi(
      rows.map((r) => r.probability),
      rows.map((r) => (r.mbd ? 1 : 0) as Label),
    );
  };
  const expectAucOfCases = async (range: DateRange) => {
    const { ai } = await service.diagnosticPerformance(range, modelId);
    const rows = await expanded(range);
    expect([ai.auc.value, ai.auc.lower, ai.auc.upper]).toEqual([rows.estimate, rows.lower, rows.upper]);
    const hand = byHand(range);
    expect(ai.auc.value).toBeCloseTo(hand.auc, 14);
    expect(ai.auc.lower).toBeCloseTo(hand.lower, 12);
    expect(ai.auc.upper).toBeCloseTo(hand.upper, 12);
    return ai;
  };
  return { db, service, modelId, byHand, expectAucOfCases };
}

describe('the AI arm of diagnosticPerformance ranks the stored probabilities exactly', () => {
  let planted: Planting;
  beforeAll(async () => {
    planted = await plantedDatabase(PLANTED, 20);
  });
  afterAll(() => planted.db.drop());

  it('on one day, read from its pack', async () => {
    // Day A by hand: 0.00091 beats 0.00087 and 0.0009 (2); 0.00094 also beats 0.00092 (3); each 0.25
    // beats three and ties one (3.5); 0.71 beats all five (5). U = 17 of 5 × 5 pairs.
    const hand = planted.byHand(oneDay);
    expect(hand.u).toBe(17);
    expect(hand.auc).toBe(0.68);
    const ai = await planted.expectAucOfCases(oneDay);
    expect(ai.cases).toBe(10);
  });

  it('across days and the partial days at both ends', async () => {
    // By hand, positives against the 12 negatives: 0.00089 beats 1; 0.00091 and 0.000915 beat 3
    // each; 0.00094 beats 6; each of three 0.25 beats 6 and ties 2 (7); 0.5 beats 8 and ties 1
    // (8.5); 0.70999 beats 9 and ties 1 (9.5); 0.71 beats 10 and ties 1 (10.5); 0.9 beats 11.
    // U = 1 + 3 + 3 + 6 + 21 + 8.5 + 9.5 + 10.5 + 11 = 73.5 of 11 × 12 pairs.
    const hand = planted.byHand(acrossDays);
    expect(hand.u).toBe(73.5);
    expect(hand.auc).toBe(73.5 / 132);
    const ai = await planted.expectAucOfCases(acrossDays);
    expect([ai.positives, ai.negatives]).toEqual([11, 12]);
  });
});

describe('the AI arm of diagnosticPerformance, where scores repeat, ranks from their counts as exactly', () => {
  let planted: Planting;
  const noon = hour(midnight - DAY, 12);
  const repeat = (times: number, probability: number) => Array<number>(times).fill(probability);
  // 200 calls on 8 distinct scores, 25 a score: the AUC comes from counts per score, not case by case.
  const CASES = [
    ...on(noon, true, ...repeat(30, 0.00094), ...repeat(30, 0.00091), ...repeat(20, 0.5), ...repeat(20, 0.71)),
    ...on(noon, false, ...repeat(40, 0.00087), ...repeat(20, 0.00092), ...repeat(20, 0.5), ...repeat(20, 0.70999)),
  ];
  beforeAll(async () => {
    planted = await plantedDatabase(CASES, 22);
  });
  afterAll(() => planted.db.drop());

  it('on a day of many ties, real and within 10⁻⁴', async () => {
    // By hand, against the 100 negatives: 30 × 0.00094 beat 60 (1,800); 30 × 0.00091 beat 40
    // (1,200); 20 × 0.5 beat 60 and tie 20 (1,400); 20 × 0.71 beat all 100 (2,000). U = 6,400.
    const day: DateRange = { from: new Date(midnight - DAY), to: new Date(midnight) };
    expect(planted.byHand(day).u).toBe(6400);
    const ai = await planted.expectAucOfCases(day);
    expect(ai.auc.value).toBeCloseTo(0.64, 14);
  });
});

describe('thresholdSimulation puts scores 10⁻⁵ apart on the right sides of a threshold between them', () => {
  let planted: Planting;
  const yesterday = hour(midnight - DAY, 12);
  beforeAll(async () => {
    planted = await plantedDatabase([...on(yesterday, true, 0.70002, 0.70001, 0.9), ...on(yesterday, false, 0.70001, 0.1)], 21);
  });
  afterAll(() => planted.db.drop());

  it('at 0.700015: 0.70002 flagged, both 0.70001 not', async () => {
    const s = await planted.service.thresholdSimulation(planted.modelId, 0.700015);
    // Flagged: positives 0.70002 and 0.9 (TP 2 of 3); negatives 0.70001 and 0.1 both below (TN 2 of 2).
    expect([s.sensitivity.numerator, s.sensitivity.denominator]).toEqual([2, 3]);
    expect([s.specificity.numerator, s.specificity.denominator]).toEqual([2, 2]);
    expect([s.flaggedShare.numerator, s.flaggedShare.denominator]).toEqual([2, 5]);
    // At the model's own threshold 0.5 every score but 0.1 is flagged.
    expect([s.currentSensitivity.numerator, s.currentSpecificity.numerator]).toEqual([3, 1]);
  });

  it('at 0.70001 itself: a score equal to the threshold is flagged', async () => {
    const s = await planted.service.thresholdSimulation(planted.modelId, 0.70001);
    expect([s.sensitivity.numerator, s.specificity.numerator, s.flaggedShare.numerator]).toEqual([3, 1, 4]);
  });
});
