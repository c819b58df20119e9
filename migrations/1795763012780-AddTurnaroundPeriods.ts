import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTurnaroundPeriods1795763012780 implements MigrationInterface {
  name = 'AddTurnaroundPeriods1795763012780';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"analytics_turnaround_periods\" (\"grouping\" text NOT NULL, \"start\" TIMESTAMP WITH TIME ZONE NOT NULL, \"all_sites\" boolean NOT NULL, \"site\" text NOT NULL, \"target_minutes\" double precision NOT NULL, \"scans\" integer NOT NULL, \"to_ai\" double precision array, \"to_ai_n\" integer NOT NULL, \"to_read\" double precision array, \"to_read_n\" integer NOT NULL, \"to_final\" double precision array, \"to_final_n\" integer NOT NULL, \"backlog\" integer NOT NULL, \"over_target\" integer NOT NULL, CONSTRAINT \"PK_640f28ad2bc62d2fdf2f4d0f0f5\" PRIMARY KEY (\"grouping\", \"start\", \"all_sites\", \"site\", \"target_minutes\"))");
    await queryRunner.query("CREATE TABLE \"analytics_stale_turnaround_days\" (\"id\" BIGSERIAL NOT NULL, \"day\" date NOT NULL, CONSTRAINT \"PK_4f4c5200e50c1189c31c1da7db5\" PRIMARY KEY (\"id\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"analytics_stale_turnaround_days\"");
    await queryRunner.query("DROP TABLE \"analytics_turnaround_periods\"");
  }
}
