import type { AiLabel, Verdict } from '@bonescan/clinical';
import { Check, Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { AiLabelEnum, VerdictEnum } from './enums';

/**
 * Running totals that let analytics over a year answer from a few thousand rows instead of joining
 * a year of reviews and predictions. They are kept by database triggers (migration
 * AddAnalyticsRollups) in the transaction of every write to reviews, predictions and, through the
 * trigger-kept copies on predictions, ground truths and scan arrival: whoever writes (API, inference
 * workers, imports, the synthetic seeder) keeps them right. Never written by the application.
 *
 * Only counts are rolled up: a count over a date range is the sum of its days, exactly. The day is
 * the scan's arrival date in UTC; the part of a range that does not cover whole UTC days is read
 * from the source rows.
 */

/** Ground truth of a scan as the rollups key it: no NULL in a primary key. */
export type GroundTruthState = 'MBD' | 'NO_MBD' | 'PENDING';
const GROUND_TRUTH_CHECK = (column: string) => `"${column}" IN ('MBD', 'NO_MBD', 'PENDING')`;

/** Reads per day of scan arrival, by the model version's call on the scan and the read itself. */
@Entity('analytics_daily_reads')
@Check('analytics_daily_reads_ground_truth', GROUND_TRUTH_CHECK('ground_truth'))
export class DailyReadCount {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'uuid' })
  modelVersionId: string;

  @PrimaryColumn({ type: 'enum', enum: AiLabelEnum, enumName: 'prediction_label' })
  aiLabel: AiLabel;

  @PrimaryColumn({ type: 'text' })
  groundTruth: GroundTruthState;

  @PrimaryColumn({ type: 'boolean' })
  aiVisible: boolean;

  @PrimaryColumn({ type: 'enum', enum: VerdictEnum, enumName: 'verdict' })
  verdict: Verdict;

  @PrimaryColumn({ type: 'smallint' })
  confidence: number;

  @Column({ type: 'int' })
  reads: number;
}

/** Readers' reasons for the AI's hotspots per day of scan arrival, on scans the model version called. */
@Entity('analytics_daily_hotspot_reasons')
export class DailyHotspotReasonCount {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'uuid' })
  modelVersionId: string;

  @PrimaryColumn({ type: 'text' })
  reason: string;

  @Column({ type: 'int' })
  assessments: number;
}

/**
 * A scan's reads, with and without the AI, and how many of each sent the patient on (verdict other
 * than NO_MBD). Counts, so each review adds or removes one; whether a scan was read both ways, and
 * spared further imaging by the aided read, follows from them.
 */
@Entity('analytics_scan_reads')
export class ScanReadTally {
  @PrimaryColumn({ type: 'uuid' })
  scanId: string;

  @Column({ type: 'int', default: 0 })
  unaidedReads: number;

  @Column({ type: 'int', default: 0 })
  unaidedSentOn: number;

  @Column({ type: 'int', default: 0 })
  aidedReads: number;

  @Column({ type: 'int', default: 0 })
  aidedSentOn: number;
}

/**
 * Scans without MBD (by ground truth) that the model version called and that were read both with and
 * without the AI, per day of arrival; `spared`: of those, the scans an unaided read sent on and no
 * aided read did (follow-up imaging avoided).
 */
@Entity('analytics_daily_paired_reads')
export class DailyPairedReadCount {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'uuid' })
  modelVersionId: string;

  @Column({ type: 'int' })
  scans: number;

  @Column({ type: 'int' })
  spared: number;
}

/**
 * A model version's predictions per 0.001-wide band of probability and ground truth: a threshold
 * simulation counts whole bands from here and reads only the band the threshold falls in row by row.
 */
@Entity('analytics_probability_bands')
@Check('analytics_probability_bands_ground_truth', GROUND_TRUTH_CHECK('ground_truth'))
export class ProbabilityBandCount {
  @PrimaryColumn({ type: 'uuid' })
  modelVersionId: string;

  @PrimaryColumn({ type: 'text' })
  groundTruth: GroundTruthState;

  @PrimaryColumn({ type: 'int' })
  band: number;

  @Column({ type: 'int' })
  predictions: number;
}

/**
 * A model version's judged predictions (ground truth recorded) of one day of scan arrival, as
 * counts per AI score, truth and call, packed into one value: the AUC needs every score, and a year
 * of them is ~600,000 rows but 365 packs. The score is the stored probability itself, so scores
 * rank and tie in the packs exactly as in the predictions. Each entry is a big-endian float8 score
 * then an int32 cases × 4 + 2 × mbd + called, in ascending (score, truth and call) order, as
 * analytics_ai_score_pack builds it (migration PackExactAiScores). Packs are rebuilt from the
 * predictions by the analytics service for the days a write has marked stale.
 */
@Entity('analytics_daily_ai_scores')
export class DailyAiScorePack {
  @PrimaryColumn({ type: 'uuid' })
  modelVersionId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'bytea' })
  scores: Buffer;
}

/** A day whose AI score pack no longer matches its predictions, marked by trigger in the writing transaction. */
@Entity('analytics_stale_ai_score_days')
export class StaleAiScoreDay {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  modelVersionId: string;

  @Column({ type: 'date' })
  day: string;
}

/**
 * Turnaround of one settled day or week (UTC) of arrivals, for one site or all sites, exactly as the
 * turnaround query computes it for that period: settled means the period ended at least the target
 * time ago, so every scan still unread in it is overdue and the figures no longer move with the
 * clock. Rows are filled by the analytics service when first asked for and dropped when a write
 * to scans marks one of their days stale; a period without arrivals keeps a row with 0 scans.
 */
@Entity('analytics_turnaround_periods')
export class TurnaroundPeriodFigures {
  @PrimaryColumn({ type: 'text' })
  grouping: string;

  @PrimaryColumn({ type: 'timestamptz' })
  start: Date;

  @PrimaryColumn({ type: 'boolean' })
  allSites: boolean;

  /** The site, or '' in the all-sites row. */
  @PrimaryColumn({ type: 'text' })
  site: string;

  @PrimaryColumn({ type: 'double precision' })
  targetMinutes: number;

  @Column({ type: 'int' })
  scans: number;

  /** [p50, p90] in minutes, as percentile_cont returns them; null without a scan with both timestamps. */
  @Column({ type: 'double precision', array: true, nullable: true })
  toAi: number[] | null;

  @Column({ type: 'int' })
  toAiN: number;

  @Column({ type: 'double precision', array: true, nullable: true })
  toRead: number[] | null;

  @Column({ type: 'int' })
  toReadN: number;

  @Column({ type: 'double precision', array: true, nullable: true })
  toFinal: number[] | null;

  @Column({ type: 'int' })
  toFinalN: number;

  @Column({ type: 'int' })
  backlog: number;

  @Column({ type: 'int' })
  overTarget: number;

  /**
   * The period's durations per interval and bin of analytics_duration_bin, packed: entries of
   * int32 interval (0 arrival → AI, 1 AI → first read, 2 arrival → final), int32 bin, int32
   * count, float8 least and float8 greatest value, big-endian. Locates a percentile of a whole
   * range to one bin, whose values alone are then read (migration AddTurnaroundDurationBins).
   */
  @Column({ type: 'bytea' })
  durationBins: Buffer;
}

/** A day of arrivals whose settled turnaround periods a write to scans has made stale, marked by trigger. */
@Entity('analytics_stale_turnaround_days')
export class StaleTurnaroundDay {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'date' })
  day: string;
}
