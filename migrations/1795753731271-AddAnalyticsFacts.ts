import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAnalyticsFacts1795753731271 implements MigrationInterface {
  name = 'AddAnalyticsFacts1795753731271';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"predictions\" ADD \"scan_arrived_at\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("ALTER TABLE \"predictions\" ADD \"ground_truth_mbd\" boolean");
    await queryRunner.query("ALTER TABLE \"reviews\" ADD \"scan_arrived_at\" TIMESTAMP WITH TIME ZONE");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"reviews\" DROP COLUMN \"scan_arrived_at\"");
    await queryRunner.query("ALTER TABLE \"predictions\" DROP COLUMN \"ground_truth_mbd\"");
    await queryRunner.query("ALTER TABLE \"predictions\" DROP COLUMN \"scan_arrived_at\"");
  }
}
