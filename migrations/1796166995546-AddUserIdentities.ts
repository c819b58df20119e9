import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hospital single sign-on identities (issuer + subject) linked to platform accounts. */
export class AddUserIdentities1796166995546 implements MigrationInterface {
  name = 'AddUserIdentities1796166995546';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "user_identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "issuer" text NOT NULL, "subject" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "user_identities_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "user_identities_user_id_index" ON "user_identities" ("user_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "user_identities_issuer_subject_unique" ON "user_identities" ("issuer", "subject") ');
    await queryRunner.query(
      'ALTER TABLE "user_identities" ADD CONSTRAINT "user_identities_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "user_identities"');
  }
}
