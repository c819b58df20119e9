import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAiScorePacks1795762722232 implements MigrationInterface {
  name = 'AddAiScorePacks1795762722232';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"analytics_daily_ai_scores\" (\"model_version_id\" uuid NOT NULL, \"day\" date NOT NULL, \"counts\" bytea NOT NULL, CONSTRAINT \"PK_8a14348b9615fc33b6a087da923\" PRIMARY KEY (\"model_version_id\", \"day\"))");
    await queryRunner.query("CREATE TABLE \"analytics_stale_ai_score_days\" (\"id\" BIGSERIAL NOT NULL, \"model_version_id\" uuid NOT NULL, \"day\" date NOT NULL, CONSTRAINT \"PK_8391899984e88e6252cceb0e34c\" PRIMARY KEY (\"id\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"analytics_stale_ai_score_days\"");
    await queryRunner.query("DROP TABLE \"analytics_daily_ai_scores\"");
  }
}
