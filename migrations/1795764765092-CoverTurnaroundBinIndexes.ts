import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Index-only scans for turnaround. The per-stage bin indexes of AddTurnaroundDurationBins carry the
 * timestamps a stage's minutes are computed from, and the site: a year's busiest bin of arrival → AI
 * (~17,000 scans) took ~150 ms through the heap, ~15 ms from the index alone. scans_turnaround
 * carries every column turnaround reads by arrival, for the periods computed at a request and the
 * ones stored.
 */
export class CoverTurnaroundBinIndexes1795764765092 implements MigrationInterface {
  name = 'CoverTurnaroundBinIndexes1795764765092';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "scans_to_ai_bin"');
    await queryRunner.query('DROP INDEX "scans_to_read_bin"');
    await queryRunner.query('DROP INDEX "scans_to_final_bin"');
    await queryRunner.query(
      'CREATE INDEX "scans_to_ai_bin" ON "scans" (analytics_duration_bin(analytics_minutes("arrived_at", "predicted_at")), "arrived_at") INCLUDE ("predicted_at", "site")',
    );
    await queryRunner.query(
      'CREATE INDEX "scans_to_read_bin" ON "scans" (analytics_duration_bin(analytics_minutes_to_read("predicted_at", "first_read_at")), "arrived_at") INCLUDE ("predicted_at", "first_read_at", "site")',
    );
    await queryRunner.query(
      'CREATE INDEX "scans_to_final_bin" ON "scans" (analytics_duration_bin(analytics_minutes("arrived_at", "final_read_at")), "arrived_at") INCLUDE ("final_read_at", "site")',
    );
    await queryRunner.query('CREATE INDEX "scans_turnaround" ON "scans" ("arrived_at") INCLUDE ("site", "predicted_at", "first_read_at", "final_read_at")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "scans_turnaround"');
    await queryRunner.query('DROP INDEX "scans_to_final_bin"');
    await queryRunner.query('DROP INDEX "scans_to_read_bin"');
    await queryRunner.query('DROP INDEX "scans_to_ai_bin"');
    await queryRunner.query('CREATE INDEX "scans_to_ai_bin" ON "scans" (analytics_duration_bin(analytics_minutes("arrived_at", "predicted_at")), "arrived_at")');
    await queryRunner.query('CREATE INDEX "scans_to_read_bin" ON "scans" (analytics_duration_bin(analytics_minutes_to_read("predicted_at", "first_read_at")), "arrived_at")');
    await queryRunner.query('CREATE INDEX "scans_to_final_bin" ON "scans" (analytics_duration_bin(analytics_minutes("arrived_at", "final_read_at")), "arrived_at")');
  }
}
