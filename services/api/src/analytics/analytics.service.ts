import { HOTSPOT_REASONS, VERDICTS, type HotspotReason } from '@bonescan/clinical';
import { ModelVersion } from '@bonescan/db';
import { cohenKappaFromTable, StatisticsError } from '@bonescan/stats';
import type { DataSource } from 'typeorm';
import { notFound } from '../graphql/errors';
import { judgedAiScores } from './ai-score-days';
import { Agreement, DiagnosticPerformance, DurationPercentiles, ThresholdSimulation, Turnaround, TurnaroundGrouping, TurnaroundPeriod } from './analytics.types';
import { diagnosticFigures, difference, proportion, READER_SCORE_MAPPING, readerCallSql, readerScoreSql, type ScoredCases } from './diagnostic-figures';
import { DateRange, estimate, missing } from './estimate';
import { ON_WHOLE_DAYS, offWholeDays, wholeDayParams } from './whole-days';

/**
 * Reads of the scans the model version called, off the range's whole days (see wholeDayParams): at
 * most two partial days, each side range-scanning its own index. The whole days come from rollups.
 */
const readsOfCalledOffWholeDays = (alsoJoin = '') => `FROM reviews r
  JOIN predictions p ON p.scan_id = r.scan_id AND p.model_version_id = $3 AND ${offWholeDays('p.scan_arrived_at')} ${alsoJoin}
  WHERE ${offWholeDays('r.scan_arrived_at')}`;

const minutes = (later: string, earlier: string) => `extract(epoch FROM ${later} - ${earlier}) / 60`;

interface PeriodRow {
  start: Date | null;
  scans: number;
  to_ai: number[] | null;
  to_ai_n: number;
  to_read: number[] | null;
  to_read_n: number;
  to_final: number[] | null;
  to_final_n: number;
  backlog: number;
  over_target: number;
}

const percentiles = (values: number[] | null, scans: number): DurationPercentiles => ({
  p50Minutes: values?.[0] ?? null,
  p90Minutes: values?.[1] ?? null,
  scans,
});

const period = (row: PeriodRow): TurnaroundPeriod => ({
  start: row.start,
  scans: row.scans,
  arrivalToAi: percentiles(row.to_ai, row.to_ai_n),
  aiToFirstRead: percentiles(row.to_read, row.to_read_n),
  arrivalToFinal: percentiles(row.to_final, row.to_final_n),
  backlog: row.backlog,
  overTarget: row.over_target,
  overTargetShare: row.scans === 0 ? null : row.over_target / row.scans,
});

/** The clinical analytics of issue 6: aggregation in SQL, statistics from @bonescan/stats. */
export class AnalyticsService {
  constructor(private readonly dataSource: DataSource) {}

  async turnaround(range: DateRange, site: string | null, grouping: TurnaroundGrouping, targetMinutes: number): Promise<Turnaround> {
    // ROLLUP adds the whole-range row (start NULL) in the same scan of the arrival index.
    const rows: PeriodRow[] = await this.dataSource.query(
      `WITH t AS (
         SELECT date_trunc($4, s.arrived_at, 'UTC') AS bucket,
                ${minutes('s.predicted_at', 's.arrived_at')} AS to_ai,
                CASE WHEN s.first_read_at >= s.predicted_at THEN ${minutes('s.first_read_at', 's.predicted_at')} END AS to_read,
                ${minutes('s.final_read_at', 's.arrived_at')} AS to_final,
                s.final_read_at IS NULL AS open,
                coalesce(s.final_read_at, now()) - s.arrived_at > $5 * interval '1 minute' AS late
         FROM scans s
         WHERE s.arrived_at >= $1 AND s.arrived_at < $2 AND ($3::text IS NULL OR s.site = $3))
       SELECT bucket AS start, count(*)::int AS scans,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_ai) AS to_ai, count(to_ai)::int AS to_ai_n,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_read) AS to_read, count(to_read)::int AS to_read_n,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_final) AS to_final, count(to_final)::int AS to_final_n,
              count(*) FILTER (WHERE open)::int AS backlog, count(*) FILTER (WHERE late)::int AS over_target
       FROM t GROUP BY ROLLUP (bucket) ORDER BY bucket NULLS FIRST`,
      [range.from, range.to, site, grouping, targetMinutes],
    );
    const [total, ...periods] = rows;
    const empty: PeriodRow = { start: null, scans: 0, to_ai: null, to_ai_n: 0, to_read: null, to_read_n: 0, to_final: null, to_final_n: 0, backlog: 0, over_target: 0 };
    // With no arrivals ROLLUP returns no row at all; the total is then an honest zero count with null percentiles.
    return { targetMinutes, site, total: period(total ?? empty), periods: periods.map(period) };
  }

  async agreement(range: DateRange, modelVersionId: string): Promise<Agreement> {
    await this.modelVersion(modelVersionId);
    const params = wholeDayParams(range, modelVersionId);
    const cells: Array<{ ai: string; verdict: string; n: number }> = await this.dataSource.query(
      `SELECT ai, verdict, sum(n)::int AS n FROM (
         SELECT d.ai_label::text AS ai, d.verdict::text AS verdict, d.reads AS n FROM analytics_daily_reads d WHERE ${ON_WHOLE_DAYS}
         UNION ALL
         SELECT p.label::text, r.verdict::text, 1 ${readsOfCalledOffWholeDays()}) reads
       GROUP BY 1, 2 HAVING sum(n) > 0`,
      params,
    );
    const reasons: Array<{ reason: HotspotReason; n: number }> = await this.dataSource.query(
      `SELECT reason, sum(n)::int AS n FROM (
         SELECT d.reason, d.assessments AS n FROM analytics_daily_hotspot_reasons d WHERE ${ON_WHOLE_DAYS}
         UNION ALL
         SELECT a->>'reason', 1 ${readsOfCalledOffWholeDays('CROSS JOIN jsonb_array_elements(r.hotspot_assessments) a')} AND r.hotspot_assessments <> '[]'::jsonb) assessed
       GROUP BY 1`,
      params,
    );
    const count = (ai: string, verdict?: string) => cells.filter((c) => c.ai === ai && (!verdict || c.verdict === verdict)).reduce((s, c) => s + c.n, 0);
    const reads = cells.reduce((s, c) => s + c.n, 0);
    return {
      reads,
      ...this.kappa(cells, reads),
      aiPositivesOverturned: proportion(count('MBD', 'NO_MBD'), count('MBD'), 'no reads of AI-positive scans in the range'),
      aiNegativesUpgraded: proportion(count('NO_MBD', 'MBD'), count('NO_MBD'), 'no reads of AI-negative scans in the range'),
      hotspotReasons: HOTSPOT_REASONS.map((reason) => ({ reason, count: reasons.find((r) => r.reason === reason)?.n ?? 0 })),
    };
  }

  /** κ over a verdict × verdict table; the AI never says EQUIVOCAL, so that row stays empty. */
  private kappa(cells: Array<{ ai: string; verdict: string; n: number }>, reads: number): Pick<Agreement, 'kappa' | 'observedAgreement'> {
    if (reads === 0) return { kappa: missing('no reads of scans the model version called in the range', 0), observedAgreement: null };
    const table = VERDICTS.map((ai) => VERDICTS.map((verdict) => cells.find((c) => c.ai === ai && c.verdict === verdict)?.n ?? 0));
    try {
      const k = cohenKappaFromTable(table);
      return { kappa: estimate({ estimate: k.kappa, lower: k.lower, upper: k.upper }, 'Wald (Fleiss, Cohen & Everitt 1969 SE)', { denominator: reads }), observedAgreement: k.observed };
    } catch (error) {
      if (!(error instanceof StatisticsError)) throw error;
      return { kappa: missing(error.message, reads), observedAgreement: 1 };
    }
  }

  async diagnosticPerformance(range: DateRange, modelVersionId: string): Promise<DiagnosticPerformance> {
    await this.modelVersion(modelVersionId);
    // Probabilities are grouped on a 10⁻⁴ grid so a year of scans returns at most ~20,000 groups;
    // the AUC moves by less than 10⁻⁴ (scores within one step count as ties, i.e. one half).
    const ai = await judgedAiScores(this.dataSource, range, modelVersionId);
    // A reader's score takes 11 values: the daily rollup of reads holds all a ROC curve needs.
    const params = wholeDayParams(range, modelVersionId);
    const reads: Array<ScoredCases & { aided: boolean }> = await this.dataSource.query(
      `SELECT aided, score, mbd, called, sum(n)::int AS n FROM (
         SELECT d.ai_visible AS aided, ${readerScoreSql('d')} AS score, d.ground_truth = 'MBD' AS mbd, ${readerCallSql('d')} AS called, d.reads AS n
         FROM analytics_daily_reads d WHERE ${ON_WHOLE_DAYS} AND d.ground_truth <> 'PENDING'
         UNION ALL
         SELECT r.ai_visible, ${readerScoreSql('r')}, p.ground_truth_mbd, ${readerCallSql('r')}, 1 ${readsOfCalledOffWholeDays()} AND p.ground_truth_mbd IS NOT NULL) reads
       GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0`,
      params,
    );
    const [paired]: Array<{ spared: number; scans: number }> = await this.dataSource.query(
      `SELECT coalesce(sum(spared), 0)::int AS spared, coalesce(sum(scans), 0)::int AS scans FROM (
         SELECT d.spared, d.scans FROM analytics_daily_paired_reads d WHERE ${ON_WHOLE_DAYS}
         UNION ALL
         SELECT count(*) FILTER (WHERE unaided_sent_on AND NOT aided_sent_on), count(*)
         FROM (SELECT bool_or(${readerCallSql('r')}) FILTER (WHERE NOT r.ai_visible) AS unaided_sent_on,
                      bool_or(${readerCallSql('r')}) FILTER (WHERE r.ai_visible) AS aided_sent_on
               ${readsOfCalledOffWholeDays()} AND NOT p.ground_truth_mbd
               GROUP BY r.scan_id HAVING bool_or(NOT r.ai_visible) AND bool_or(r.ai_visible)) per_scan) paired`,
      params,
    );
    const readersUnaided = diagnosticFigures(reads.filter((r) => !r.aided));
    const readersAided = diagnosticFigures(reads.filter((r) => r.aided));
    return {
      ai: diagnosticFigures(ai),
      readersUnaided,
      readersAided,
      specificityGain: difference(readersAided.specificity, readersUnaided.specificity),
      sensitivityChange: difference(readersAided.sensitivity, readersUnaided.sensitivity),
      followUpImagingAvoided: proportion(paired.spared, paired.scans, 'no scan without MBD was read both with and without the AI'),
      readerScoreMapping: READER_SCORE_MAPPING,
    };
  }

  async thresholdSimulation(modelVersionId: string, threshold: number): Promise<ThresholdSimulation> {
    const model = await this.modelVersion(modelVersionId);
    // Whole 0.001-wide probability bands are counted from the rollup: every prediction in a band
    // above (below) the threshold's band is above (below) the threshold. Only the predictions in the
    // band of each threshold are compared one by one, so the counts are exact.
    const [c]: Array<Record<string, number>> = await this.dataSource.query(
      `WITH banded AS (
         SELECT b.ground_truth, b.predictions AS n, b.band > analytics_probability_band($2) AS flagged, b.band > analytics_probability_band($3) AS flagged_now
         FROM analytics_probability_bands b
         WHERE b.model_version_id = $1 AND b.band NOT IN (analytics_probability_band($2), analytics_probability_band($3))
         UNION ALL
         SELECT analytics_ground_truth(p.ground_truth_mbd), 1, p.probability >= $2, p.probability >= $3
         FROM predictions p
         WHERE p.model_version_id = $1 AND analytics_probability_band(p.probability) IN (analytics_probability_band($2), analytics_probability_band($3)))
       SELECT coalesce(sum(n) FILTER (WHERE ground_truth <> 'PENDING'), 0)::int AS scans,
              coalesce(sum(n) FILTER (WHERE ground_truth = 'MBD'), 0)::int AS positives, coalesce(sum(n) FILTER (WHERE ground_truth = 'NO_MBD'), 0)::int AS negatives,
              coalesce(sum(n) FILTER (WHERE ground_truth = 'MBD' AND flagged), 0)::int AS tp, coalesce(sum(n) FILTER (WHERE ground_truth = 'NO_MBD' AND NOT flagged), 0)::int AS tn,
              coalesce(sum(n) FILTER (WHERE ground_truth = 'MBD' AND flagged_now), 0)::int AS current_tp, coalesce(sum(n) FILTER (WHERE ground_truth = 'NO_MBD' AND NOT flagged_now), 0)::int AS current_tn,
              coalesce(sum(n), 0)::int AS predicted, coalesce(sum(n) FILTER (WHERE flagged), 0)::int AS flagged
       FROM banded`,
      [modelVersionId, threshold, model.threshold],
    );
    // Workload per day over the last 30 days: one index range scan of the model version's recent predictions.
    const [recent]: Array<Record<string, number>> = await this.dataSource.query(
      `SELECT count(*)::int AS recent, count(*) FILTER (WHERE p.probability >= $2)::int AS recent_flagged,
              count(*) FILTER (WHERE p.probability >= $3)::int AS recent_current_flagged
       FROM predictions p WHERE p.model_version_id = $1 AND p.scan_arrived_at >= now() - interval '30 days'`,
      [modelVersionId, threshold, model.threshold],
    );
    const noTruth = (what: string) => `no scan called by this model version has ground truth ${what} yet`;
    const perDay = (n: number) => (recent.recent === 0 ? null : n / 30);
    return {
      threshold,
      currentThreshold: model.threshold,
      scans: c.scans,
      sensitivity: proportion(c.tp, c.positives, noTruth('of MBD')),
      specificity: proportion(c.tn, c.negatives, noTruth('ruling MBD out')),
      currentSensitivity: proportion(c.current_tp, c.positives, noTruth('of MBD')),
      currentSpecificity: proportion(c.current_tn, c.negatives, noTruth('ruling MBD out')),
      flaggedShare: proportion(c.flagged, c.predicted, 'the model version has predicted no scan'),
      flaggedPerDay: perDay(recent.recent_flagged),
      currentFlaggedPerDay: perDay(recent.recent_current_flagged),
    };
  }

  async modelVersion(id: string): Promise<ModelVersion> {
    const model = await this.dataSource.getRepository(ModelVersion).findOneBy({ id });
    if (!model) throw notFound('model version', id);
    return model;
  }
}
