import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins, counted in the database so that parallel guesses and several API processes see
 * one count: a row per account (e-mail) and per client address, with the time before which the
 * next attempt is refused.
 */
export class AddSignInThrottle1796166979866 implements MigrationInterface {
  name = 'AddSignInThrottle1796166979866';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "sign_in_throttle" (
        "key" text PRIMARY KEY,
        "failures" integer NOT NULL,
        "blocked_until" timestamptz NOT NULL,
        "last_attempt_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "sign_in_throttle"');
  }
}
