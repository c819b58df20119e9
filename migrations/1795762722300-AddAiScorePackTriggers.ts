import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks the days whose AI score packs (migration AddAiScorePacks) a write to predictions makes
 * stale, in the writing transaction: inserting a prediction with ground truth, recording or
 * correcting ground truth (copied onto predictions by AddAnalyticsTriggers), moving a scan's
 * arrival, withdrawing a prediction. One marker per day and model version a statement touches, so
 * an import of 100,000 scans adds a few hundred rows, not 100,000. The analytics service rebuilds
 * marked days from the predictions before it reads the packs. Transition tables are beyond what
 * TypeORM derives from entities.
 */
export class AddAiScorePackTriggers1795762722300 implements MigrationInterface {
  name = 'AddAiScorePackTriggers1795762722300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION analytics_mark_stale_ai_score_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO analytics_stale_ai_score_days (model_version_id, day)
          SELECT DISTINCT model_version_id, analytics_day(scan_arrived_at) FROM old_predictions WHERE ground_truth_mbd IS NOT NULL;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO analytics_stale_ai_score_days (model_version_id, day)
          SELECT DISTINCT model_version_id, analytics_day(scan_arrived_at) FROM new_predictions WHERE ground_truth_mbd IS NOT NULL;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER analytics_ai_scores_inserted AFTER INSERT ON predictions REFERENCING NEW TABLE AS new_predictions
      FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_stale_ai_score_days()`);
    await queryRunner.query(`CREATE TRIGGER analytics_ai_scores_updated AFTER UPDATE ON predictions REFERENCING OLD TABLE AS old_predictions NEW TABLE AS new_predictions
      FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_stale_ai_score_days()`);
    await queryRunner.query(`CREATE TRIGGER analytics_ai_scores_deleted AFTER DELETE ON predictions REFERENCING OLD TABLE AS old_predictions
      FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_stale_ai_score_days()`);
    // Every day with judged predictions starts stale: the first query packs them.
    await queryRunner.query(`INSERT INTO analytics_stale_ai_score_days (model_version_id, day)
      SELECT DISTINCT model_version_id, analytics_day(scan_arrived_at) FROM predictions WHERE ground_truth_mbd IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER analytics_ai_scores_deleted ON predictions');
    await queryRunner.query('DROP TRIGGER analytics_ai_scores_updated ON predictions');
    await queryRunner.query('DROP TRIGGER analytics_ai_scores_inserted ON predictions');
    await queryRunner.query('DROP FUNCTION analytics_mark_stale_ai_score_days()');
    await queryRunner.query('TRUNCATE analytics_daily_ai_scores, analytics_stale_ai_score_days');
  }
}
