import { HOTSPOT_REASONS, VERDICTS, type HotspotReason } from '@bonescan/clinical';
import { ModelVersion } from '@bonescan/db';
import { cohenKappaFromTable, StatisticsError } from '@bonescan/stats';
import type { DataSource } from 'typeorm';
import { notFound } from '../graphql/errors';
import { judgedAiFigures } from './ai-score-days';
import { Agreement, DiagnosticPerformance, ThresholdSimulation, Turnaround, TurnaroundGrouping } from './analytics.types';
import { diagnosticFigures, difference, proportion, READER_SCORE_MAPPING, readerCallSql, readerScoreSql, type ScoredCases } from './diagnostic-figures';
import { DateRange, estimate, missing } from './estimate';
import { turnaround } from './turnaround';
import { ON_WHOLE_DAYS, offWholeDays, wholeDayParams } from './whole-days';

/**
 * Reads of the scans the model version called, off the range's whole days (see wholeDayParams): at
 * most two partial days, each side range-scanning its own index. The whole days come from rollups.
 */
const readsOfCalledOffWholeDays = (alsoJoin = '') => `FROM reviews r
  JOIN predictions p ON p.scan_id = r.scan_id AND p.model_version_id = $3 AND ${offWholeDays('p.scan_arrived_at')} ${alsoJoin}
  WHERE ${offWholeDays('r.scan_arrived_at')}`;

/** The clinical analytics: aggregation in SQL, statistics from @bonescan/stats. */
export class AnalyticsService {
  /**
   * @param aiFigures the AI arm of diagnosticPerformance; bench/analytics passes the former one, on
   * 10⁻⁴-grid packs, to time both on one database in one run.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly aiFigures: typeof judgedAiFigures = judgedAiFigures,
  ) {}

  /** See ./turnaround: stored settled periods, the rest from the scans, the whole range's percentiles only when asked for. */
  turnaround(range: DateRange, site: string | null, grouping: TurnaroundGrouping, targetMinutes: number, withTotalPercentiles: boolean): Promise<Turnaround> {
    return turnaround(this.dataSource, { range, site, grouping, targetMinutes, withTotalPercentiles });
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
      return {
        kappa: estimate({ estimate: k.kappa, lower: k.lower, upper: k.upper }, 'Wald (Fleiss, Cohen & Everitt 1969 SE)', { denominator: reads }),
        observedAgreement: k.observed,
      };
    } catch (error) {
      if (!(error instanceof StatisticsError)) throw error;
      return { kappa: missing(error.message, reads), observedAgreement: 1 };
    }
  }

  async diagnosticPerformance(range: DateRange, modelVersionId: string): Promise<DiagnosticPerformance> {
    await this.modelVersion(modelVersionId);
    // Every stored probability, grouped only where equal: the AUC and its interval are those of the cases.
    const ai = await this.aiFigures(this.dataSource, range, modelVersionId);
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
      ai,
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
