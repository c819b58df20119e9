import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * At most one ACTIVE model version, enforced by the database (a partial unique index, which
 * TypeORM cannot derive from the entity), not only by the service that switches versions.
 */
export class AddOneActiveModelIndex1795757957700 implements MigrationInterface {
  name = 'AddOneActiveModelIndex1795757957700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNIQUE INDEX "model_versions_one_active" ON "model_versions" ("status") WHERE "status" = 'ACTIVE'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "model_versions_one_active"');
  }
}
