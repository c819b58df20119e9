import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The daily AI score packs (migration AddAiScorePacks) rounded each probability to 10⁻⁴, so
 * scores closer than that became ties and the AUC and its DeLong interval moved. A pack now holds
 * every distinct probability of its day as stored (float8), sorted, with its count per truth and
 * call, and the column is renamed so that nothing still expecting the rounded layout reads it.
 *
 * analytics_ai_score_pack defines the layout once, for the packs and for the partial days a
 * query reads from the predictions; analytics_repack_ai_score_days rebuilds days of one model
 * version (the analytics service calls it for the days the triggers of AddAiScorePackTriggers
 * mark stale, and this migration for every day). The triggers stay: they already mark a day on
 * any change to what a pack holds.
 */
export class PackExactAiScores1796164776634 implements MigrationInterface {
  name = 'PackExactAiScores1796164776634';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('TRUNCATE analytics_daily_ai_scores, analytics_stale_ai_score_days');
    await queryRunner.query('ALTER TABLE "analytics_daily_ai_scores" RENAME COLUMN "counts" TO "scores"');
    // Entries of float8 score then int4 (cases × 4 + 2 × mbd + called), big-endian, in ascending
    // (score, truth and call) order; NULL when no judged prediction falls in the interval.
    await queryRunner.query(`
      CREATE FUNCTION analytics_ai_score_pack(model_version uuid, arrived_from timestamptz, arrived_before timestamptz) RETURNS bytea
      LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT string_agg(float8send(score) || int4send(cases * 4 + truth_and_call), ''::bytea ORDER BY score, truth_and_call)
        FROM (SELECT p.probability AS score, p.ground_truth_mbd::int * 2 + (p.label = 'MBD')::int AS truth_and_call, count(*)::int AS cases
              FROM predictions p
              WHERE p.model_version_id = model_version AND p.ground_truth_mbd IS NOT NULL
                AND p.scan_arrived_at >= arrived_from AND p.scan_arrived_at < arrived_before
              GROUP BY 1, 2) counted
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION analytics_repack_ai_score_days(model_version uuid, days date[]) RETURNS void LANGUAGE sql AS $$
        DELETE FROM analytics_daily_ai_scores WHERE model_version_id = model_version AND day = ANY(days);
        INSERT INTO analytics_daily_ai_scores (model_version_id, day, scores)
        SELECT model_version, d.day, pack.scores
        FROM unnest(days) AS d(day)
        CROSS JOIN analytics_ai_score_pack(model_version, d.day::timestamp AT TIME ZONE 'UTC', (d.day + 1)::timestamp AT TIME ZONE 'UTC') AS pack(scores)
        WHERE pack.scores IS NOT NULL;
      $$`);
    await queryRunner.query(`
      SELECT analytics_repack_ai_score_days(model_version_id, array_agg(day))
      FROM (SELECT DISTINCT model_version_id, analytics_day(scan_arrived_at) AS day FROM predictions WHERE ground_truth_mbd IS NOT NULL) judged
      GROUP BY model_version_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION analytics_repack_ai_score_days(uuid, date[])');
    await queryRunner.query('DROP FUNCTION analytics_ai_score_pack(uuid, timestamptz, timestamptz)');
    // The rounded packs are rebuilt by the analytics service of that schema from stale markers.
    await queryRunner.query('TRUNCATE analytics_daily_ai_scores');
    await queryRunner.query('ALTER TABLE "analytics_daily_ai_scores" RENAME COLUMN "scores" TO "counts"');
    await queryRunner.query(`INSERT INTO analytics_stale_ai_score_days (model_version_id, day)
      SELECT DISTINCT model_version_id, analytics_day(scan_arrived_at) FROM predictions WHERE ground_truth_mbd IS NOT NULL`);
  }
}
