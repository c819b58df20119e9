import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks the days of arrival whose settled turnaround periods (migration AddTurnaroundPeriods) a
 * write to scans makes stale, in the writing transaction: a scan arriving, its AI result, first
 * or final read recorded, its site or arrival changed, the scan removed. One marker per day a
 * statement touches; the analytics service drops the periods of marked days before it reads.
 * Transition tables are beyond what TypeORM derives from entities.
 */
export class AddTurnaroundPeriodTriggers1795763012800 implements MigrationInterface {
  name = 'AddTurnaroundPeriodTriggers1795763012800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION analytics_mark_stale_turnaround_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO analytics_stale_turnaround_days (day) SELECT DISTINCT analytics_day(arrived_at) FROM old_scans;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO analytics_stale_turnaround_days (day) SELECT DISTINCT analytics_day(arrived_at) FROM new_scans;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER analytics_turnaround_inserted AFTER INSERT ON scans REFERENCING NEW TABLE AS new_scans
      FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_stale_turnaround_days()`);
    await queryRunner.query(`CREATE TRIGGER analytics_turnaround_updated AFTER UPDATE ON scans REFERENCING OLD TABLE AS old_scans NEW TABLE AS new_scans
      FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_stale_turnaround_days()`);
    await queryRunner.query(`CREATE TRIGGER analytics_turnaround_deleted AFTER DELETE ON scans REFERENCING OLD TABLE AS old_scans
      FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_stale_turnaround_days()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER analytics_turnaround_deleted ON scans');
    await queryRunner.query('DROP TRIGGER analytics_turnaround_updated ON scans');
    await queryRunner.query('DROP TRIGGER analytics_turnaround_inserted ON scans');
    await queryRunner.query('DROP FUNCTION analytics_mark_stale_turnaround_days()');
    await queryRunner.query('TRUNCATE analytics_turnaround_periods, analytics_stale_turnaround_days');
  }
}
