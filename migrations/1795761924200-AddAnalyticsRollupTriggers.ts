import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps the analytics rollups (migration AddAnalyticsRollups) in step with reviews and predictions,
 * in the writer's own transaction, whoever the writer is, and fills them from the rows already there.
 *
 * Every rollup holds counts and every trigger adds or subtracts the rows it sees change (an update is
 * the old row taken away and the new row added), so a correction of a review, a prediction, a ground
 * truth (copied onto predictions by AddAnalyticsTriggers) or a scan's arrival moves its counts to
 * their new keys at once. A read counts once per model version that called its scan, so the reads
 * rollups depend on a review and a prediction together: each side's trigger first locks the scan
 * row, and the statements after the lock (plpgsql, READ COMMITTED: a fresh snapshot per statement)
 * see the other side's committed rows. Two transactions writing a review and a prediction of one
 * scan at once therefore count their pair exactly once, whichever commits first.
 *
 * Triggers, expression indexes and the backfill are beyond what TypeORM derives from entities.
 */
export class AddAnalyticsRollupTriggers1795761924200 implements MigrationInterface {
  name = 'AddAnalyticsRollupTriggers1795761924200';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

const UP = [
  // The keys the rollups share: the scan's arrival date in UTC, ground truth without NULL, 0.001-wide probability bands.
  `CREATE FUNCTION analytics_day(arrived_at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
   AS $$ SELECT (arrived_at AT TIME ZONE 'UTC')::date $$`,
  `CREATE FUNCTION analytics_ground_truth(mbd boolean) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
   AS $$ SELECT CASE mbd WHEN true THEN 'MBD' WHEN false THEN 'NO_MBD' ELSE 'PENDING' END $$`,
  `CREATE FUNCTION analytics_probability_band(probability double precision) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
   AS $$ SELECT floor(probability * 1000)::int $$`,
  // The band a threshold falls in is read row by row, exactly, through this index.
  `CREATE INDEX "predictions_probability_band" ON "predictions" ("model_version_id", analytics_probability_band("probability")) INCLUDE ("probability", "ground_truth_mbd")`,

  // A review's reads, hotspot reasons and tally, added (sign 1) or taken away (sign -1).
  `CREATE FUNCTION analytics_count_review(r reviews, sign int) RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO analytics_daily_reads AS d (day, model_version_id, ai_label, ground_truth, ai_visible, verdict, confidence, reads)
     SELECT analytics_day(p.scan_arrived_at), p.model_version_id, p.label, analytics_ground_truth(p.ground_truth_mbd), r.ai_visible, r.verdict, r.confidence, sign
     FROM predictions p WHERE p.scan_id = r.scan_id ORDER BY 1, 2, 3, 4
     ON CONFLICT (day, model_version_id, ai_label, ground_truth, ai_visible, verdict, confidence) DO UPDATE SET reads = d.reads + excluded.reads;
     INSERT INTO analytics_daily_hotspot_reasons AS d (day, model_version_id, reason, assessments)
     SELECT analytics_day(p.scan_arrived_at), p.model_version_id, a->>'reason', sign * count(*)
     FROM predictions p CROSS JOIN jsonb_array_elements(r.hotspot_assessments) a
     WHERE p.scan_id = r.scan_id AND a->>'reason' IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
     ON CONFLICT (day, model_version_id, reason) DO UPDATE SET assessments = d.assessments + excluded.assessments;
     INSERT INTO analytics_scan_reads AS t (scan_id, unaided_reads, unaided_sent_on, aided_reads, aided_sent_on)
     VALUES (r.scan_id, sign * (NOT r.ai_visible)::int, sign * (NOT r.ai_visible AND r.verdict <> 'NO_MBD')::int,
             sign * r.ai_visible::int, sign * (r.ai_visible AND r.verdict <> 'NO_MBD')::int)
     ON CONFLICT (scan_id) DO UPDATE SET unaided_reads = t.unaided_reads + excluded.unaided_reads, unaided_sent_on = t.unaided_sent_on + excluded.unaided_sent_on,
       aided_reads = t.aided_reads + excluded.aided_reads, aided_sent_on = t.aided_sent_on + excluded.aided_sent_on;
   END $$`,

  // A prediction's share of the same rollups (its scan's reads under its call), and its probability band.
  `CREATE FUNCTION analytics_count_prediction(p predictions, sign int) RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO analytics_daily_reads AS d (day, model_version_id, ai_label, ground_truth, ai_visible, verdict, confidence, reads)
     SELECT analytics_day(p.scan_arrived_at), p.model_version_id, p.label, analytics_ground_truth(p.ground_truth_mbd), r.ai_visible, r.verdict, r.confidence, sign * count(*)
     FROM reviews r WHERE r.scan_id = p.scan_id GROUP BY r.ai_visible, r.verdict, r.confidence ORDER BY 5, 6, 7
     ON CONFLICT (day, model_version_id, ai_label, ground_truth, ai_visible, verdict, confidence) DO UPDATE SET reads = d.reads + excluded.reads;
     INSERT INTO analytics_daily_hotspot_reasons AS d (day, model_version_id, reason, assessments)
     SELECT analytics_day(p.scan_arrived_at), p.model_version_id, a->>'reason', sign * count(*)
     FROM reviews r CROSS JOIN jsonb_array_elements(r.hotspot_assessments) a
     WHERE r.scan_id = p.scan_id AND a->>'reason' IS NOT NULL GROUP BY 3 ORDER BY 3
     ON CONFLICT (day, model_version_id, reason) DO UPDATE SET assessments = d.assessments + excluded.assessments;
     IF p.ground_truth_mbd = false THEN
       INSERT INTO analytics_daily_paired_reads AS d (day, model_version_id, scans, spared)
       SELECT analytics_day(p.scan_arrived_at), p.model_version_id, sign, sign * (t.unaided_sent_on > 0 AND t.aided_sent_on = 0)::int
       FROM analytics_scan_reads t WHERE t.scan_id = p.scan_id AND t.unaided_reads > 0 AND t.aided_reads > 0
       ON CONFLICT (day, model_version_id) DO UPDATE SET scans = d.scans + excluded.scans, spared = d.spared + excluded.spared;
     END IF;
     INSERT INTO analytics_probability_bands AS b (model_version_id, ground_truth, band, predictions)
     VALUES (p.model_version_id, analytics_ground_truth(p.ground_truth_mbd), analytics_probability_band(p.probability), sign)
     ON CONFLICT (model_version_id, ground_truth, band) DO UPDATE SET predictions = b.predictions + excluded.predictions;
   END $$`,

  `CREATE FUNCTION analytics_lock_scans(scan_ids uuid[]) RETURNS void LANGUAGE plpgsql
   AS $$ BEGIN PERFORM 1 FROM scans WHERE id = ANY(scan_ids) ORDER BY id FOR NO KEY UPDATE; END $$`,

  `CREATE FUNCTION analytics_review_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM analytics_lock_scans(ARRAY[OLD.scan_id, NEW.scan_id]);
     IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM analytics_count_review(OLD, -1); END IF;
     IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM analytics_count_review(NEW, 1); END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER analytics_review_changed AFTER INSERT OR DELETE OR UPDATE OF scan_id, verdict, confidence, ai_visible, hotspot_assessments ON reviews
   FOR EACH ROW EXECUTE FUNCTION analytics_review_changed()`,

  `CREATE FUNCTION analytics_prediction_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE' AND (OLD.scan_id, OLD.model_version_id, OLD.label, OLD.probability, OLD.ground_truth_mbd, OLD.scan_arrived_at)
        IS NOT DISTINCT FROM (NEW.scan_id, NEW.model_version_id, NEW.label, NEW.probability, NEW.ground_truth_mbd, NEW.scan_arrived_at) THEN
       RETURN NULL;
     END IF;
     PERFORM analytics_lock_scans(ARRAY[OLD.scan_id, NEW.scan_id]);
     IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM analytics_count_prediction(OLD, -1); END IF;
     IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM analytics_count_prediction(NEW, 1); END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER analytics_prediction_changed AFTER INSERT OR DELETE OR UPDATE OF scan_id, model_version_id, label, probability, ground_truth_mbd, scan_arrived_at ON predictions
   FOR EACH ROW EXECUTE FUNCTION analytics_prediction_changed()`,

  // Whether a scan was read both ways, and spared, depends on all its reads: decided from the tally's
  // old and new counts, one row at a time, so several reviews of one scan in one statement stay exact.
  `CREATE FUNCTION analytics_scan_reads_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     was_paired boolean := TG_OP = 'UPDATE' AND OLD.unaided_reads > 0 AND OLD.aided_reads > 0;
     was_spared boolean := was_paired AND OLD.unaided_sent_on > 0 AND OLD.aided_sent_on = 0;
     paired boolean := NEW.unaided_reads > 0 AND NEW.aided_reads > 0;
     spared boolean := paired AND NEW.unaided_sent_on > 0 AND NEW.aided_sent_on = 0;
   BEGIN
     IF paired = was_paired AND spared = was_spared THEN RETURN NULL; END IF;
     INSERT INTO analytics_daily_paired_reads AS d (day, model_version_id, scans, spared)
     SELECT analytics_day(p.scan_arrived_at), p.model_version_id, paired::int - was_paired::int, spared::int - was_spared::int
     FROM predictions p WHERE p.scan_id = NEW.scan_id AND p.ground_truth_mbd = false ORDER BY 1, 2
     ON CONFLICT (day, model_version_id) DO UPDATE SET scans = d.scans + excluded.scans, spared = d.spared + excluded.spared;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER analytics_scan_reads_changed AFTER INSERT OR UPDATE ON analytics_scan_reads
   FOR EACH ROW EXECUTE FUNCTION analytics_scan_reads_changed()`,

  // Fill from the rows already there. The triggers above already lock reviews and predictions against writers until this commits.
  `INSERT INTO analytics_daily_reads (day, model_version_id, ai_label, ground_truth, ai_visible, verdict, confidence, reads)
   SELECT analytics_day(p.scan_arrived_at), p.model_version_id, p.label, analytics_ground_truth(p.ground_truth_mbd), r.ai_visible, r.verdict, r.confidence, count(*)
   FROM reviews r JOIN predictions p ON p.scan_id = r.scan_id GROUP BY 1, 2, 3, 4, 5, 6, 7`,
  `INSERT INTO analytics_daily_hotspot_reasons (day, model_version_id, reason, assessments)
   SELECT analytics_day(p.scan_arrived_at), p.model_version_id, a->>'reason', count(*)
   FROM reviews r JOIN predictions p ON p.scan_id = r.scan_id CROSS JOIN jsonb_array_elements(r.hotspot_assessments) a
   WHERE a->>'reason' IS NOT NULL GROUP BY 1, 2, 3`,
  `INSERT INTO analytics_scan_reads (scan_id, unaided_reads, unaided_sent_on, aided_reads, aided_sent_on)
   SELECT scan_id, count(*) FILTER (WHERE NOT ai_visible), count(*) FILTER (WHERE NOT ai_visible AND verdict <> 'NO_MBD'),
          count(*) FILTER (WHERE ai_visible), count(*) FILTER (WHERE ai_visible AND verdict <> 'NO_MBD')
   FROM reviews GROUP BY scan_id`,
  // The tallies' own trigger has just counted the paired scans; only the probability bands are left.
  `INSERT INTO analytics_probability_bands (model_version_id, ground_truth, band, predictions)
   SELECT model_version_id, analytics_ground_truth(ground_truth_mbd), analytics_probability_band(probability), count(*) FROM predictions GROUP BY 1, 2, 3`,
];

const DOWN = [
  'DROP TRIGGER analytics_scan_reads_changed ON analytics_scan_reads',
  'DROP FUNCTION analytics_scan_reads_changed()',
  'DROP TRIGGER analytics_prediction_changed ON predictions',
  'DROP FUNCTION analytics_prediction_changed()',
  'DROP TRIGGER analytics_review_changed ON reviews',
  'DROP FUNCTION analytics_review_changed()',
  'DROP FUNCTION analytics_lock_scans(uuid[])',
  'DROP FUNCTION analytics_count_prediction(predictions, int)',
  'DROP FUNCTION analytics_count_review(reviews, int)',
  'DROP INDEX "predictions_probability_band"',
  'DROP FUNCTION analytics_probability_band(double precision)',
  'DROP FUNCTION analytics_ground_truth(boolean)',
  'DROP FUNCTION analytics_day(timestamptz)',
  'TRUNCATE analytics_daily_reads, analytics_daily_hotspot_reasons, analytics_scan_reads, analytics_daily_paired_reads, analytics_probability_bands',
];
