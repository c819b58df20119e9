import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes on expressions, which TypeORM cannot derive from the entities (they are declared there
 * with synchronize: false so the drift check ignores them).
 */
export class AddExpressionIndexes1795751703500 implements MigrationInterface {
  name = 'AddExpressionIndexes1795751703500';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Worklist "AI first": keyset order (probability, arrival, id), unpredicted scans last.
    await queryRunner.query(
      'CREATE INDEX "scans_triage_order" ON "scans" ((coalesce("ai_probability", -1)) DESC, "arrived_at" DESC, "id" DESC)',
    );
    // Sign-in looks users up by e-mail regardless of case; two accounts may not differ only in case.
    await queryRunner.query('CREATE UNIQUE INDEX "users_email_lower_unique" ON "users" (lower("email"))');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "users_email_lower_unique"');
    await queryRunner.query('DROP INDEX "scans_triage_order"');
  }
}
