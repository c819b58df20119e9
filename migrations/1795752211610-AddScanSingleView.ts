import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddScanSingleView1795752211610 implements MigrationInterface {
  name = 'AddScanSingleView1795752211610';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"scans\" ADD \"single_view\" boolean NOT NULL DEFAULT false");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"scans\" DROP COLUMN \"single_view\"");
  }
}
