import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets a percentile of turnaround over a whole range be found without sorting every scan of it:
 * durations fall in fixed bins, each stored period keeps its counts per bin (duration_bins), and an
 * index per interval finds the scans of one bin in an arrival range. Bins are 2^(1/32) wide (2.2 %)
 * from 2^-10 minutes (under a second) to 2^25 minutes; width_bucket over fixed bounds keeps a
 * larger duration never in a lower bin. The minutes are the float8 values percentile_cont sorts.
 * Functions and expression indexes are beyond what TypeORM derives from entities. A function body
 * names the functions it calls with their schema: index builds run with a search_path of pg_catalog.
 */
const BIN_BOUNDS = Array.from({ length: 1121 }, (_, i) => 2 ** ((i - 320) / 32));

export class AddTurnaroundDurationBins1795764289831 implements MigrationInterface {
  name = 'AddTurnaroundDurationBins1795764289831';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Stored periods are recomputed on demand; the ones stored so far have no bins.
    await queryRunner.query('TRUNCATE "analytics_turnaround_periods"');
    await queryRunner.query('ALTER TABLE "analytics_turnaround_periods" ADD "duration_bins" bytea NOT NULL');
    await queryRunner.query(`CREATE FUNCTION analytics_minutes(earlier timestamptz, later timestamptz) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (extract(epoch FROM later - earlier) / 60)::double precision $$`);
    await queryRunner.query(`CREATE FUNCTION analytics_minutes_to_read(predicted_at timestamptz, first_read_at timestamptz) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN first_read_at >= predicted_at THEN public.analytics_minutes(predicted_at, first_read_at) END $$`);
    await queryRunner.query(`CREATE FUNCTION analytics_duration_bin(minutes double precision) RETURNS int
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT width_bucket(minutes, '{${BIN_BOUNDS.join(',')}}'::double precision[]) $$`);
    await queryRunner.query(`CREATE INDEX "scans_to_ai_bin" ON "scans" (analytics_duration_bin(analytics_minutes("arrived_at", "predicted_at")), "arrived_at")`);
    await queryRunner.query(`CREATE INDEX "scans_to_read_bin" ON "scans" (analytics_duration_bin(analytics_minutes_to_read("predicted_at", "first_read_at")), "arrived_at")`);
    await queryRunner.query(`CREATE INDEX "scans_to_final_bin" ON "scans" (analytics_duration_bin(analytics_minutes("arrived_at", "final_read_at")), "arrived_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "scans_to_final_bin"');
    await queryRunner.query('DROP INDEX "scans_to_read_bin"');
    await queryRunner.query('DROP INDEX "scans_to_ai_bin"');
    await queryRunner.query('DROP FUNCTION analytics_duration_bin(double precision)');
    await queryRunner.query('DROP FUNCTION analytics_minutes_to_read(timestamptz, timestamptz)');
    await queryRunner.query('DROP FUNCTION analytics_minutes(timestamptz, timestamptz)');
    await queryRunner.query('ALTER TABLE "analytics_turnaround_periods" DROP COLUMN "duration_bins"');
  }
}
