import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Audit rows name every record and patient a request read, and who called from where. */
export class AuditOneRowPerRequest1796169947748 implements MigrationInterface {
  name = 'AuditOneRowPerRequest1796169947748';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "entity_ids" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "patient_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "client_address" text`);
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "user_agent" text`);
    // Rows written before this change named one record each.
    await queryRunner.query(`UPDATE "audit_events" SET "entity_ids" = ARRAY["entity_id"], "patient_ids" = CASE WHEN "patient_id" IS NULL THEN '{}' ELSE ARRAY["patient_id"] END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "user_agent"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "client_address"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "patient_ids"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "entity_ids"`);
  }
}
