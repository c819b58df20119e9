import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Portal sessions the API accepts until they end at sign-out or expire. */
export class AddPortalSessions1796167108188 implements MigrationInterface {
  name = 'AddPortalSessions1796167108188';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "portal_sessions" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "portal_sessions_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "portal_sessions_user_id_index" ON "portal_sessions" ("user_id") ');
    await queryRunner.query(
      'ALTER TABLE "portal_sessions" ADD CONSTRAINT "portal_sessions_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "portal_sessions"');
  }
}
