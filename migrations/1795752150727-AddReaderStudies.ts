import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddReaderStudies1795752150727 implements MigrationInterface {
  name = 'AddReaderStudies1795752150727';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TYPE \"public\".\"reader_study_mode\" AS ENUM('BLINDED', 'AIDED')");
    await queryRunner.query("CREATE TYPE \"public\".\"reader_study_status\" AS ENUM('OPEN', 'CLOSED')");
    await queryRunner.query("CREATE TABLE \"reader_studies\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"mode\" \"public\".\"reader_study_mode\" NOT NULL, \"status\" \"public\".\"reader_study_status\" NOT NULL DEFAULT 'OPEN', \"seed\" integer NOT NULL, \"created_by_id\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_f6c06e5e02a28e358b467ef7a12\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"reader_study_cases\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"reader_study_id\" uuid NOT NULL, \"scan_id\" uuid NOT NULL, \"position\" integer NOT NULL, CONSTRAINT \"PK_7b051375e3b7e3baf6f9cc93971\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_cde442a5a2c8b331ade9642339\" ON \"reader_study_cases\" (\"scan_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_8110e52953b8c167e843fdaef6\" ON \"reader_study_cases\" (\"reader_study_id\", \"position\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_4fba07e42d4c024acb1556f7c4\" ON \"reader_study_cases\" (\"reader_study_id\", \"scan_id\") ");
    await queryRunner.query("ALTER TABLE \"reviews\" ADD \"reader_study_id\" uuid");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_ed4aeeb30fade9a96d5f2421e0\" ON \"reviews\" (\"reader_study_id\", \"reader_id\", \"scan_id\") ");
    await queryRunner.query("ALTER TABLE \"reader_studies\" ADD CONSTRAINT \"FK_c7def28e9deac2974c2dbe3805c\" FOREIGN KEY (\"created_by_id\") REFERENCES \"users\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"reader_study_cases\" ADD CONSTRAINT \"FK_1d2e348b5d21bd361f4c3622e46\" FOREIGN KEY (\"reader_study_id\") REFERENCES \"reader_studies\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"reader_study_cases\" ADD CONSTRAINT \"FK_cde442a5a2c8b331ade9642339a\" FOREIGN KEY (\"scan_id\") REFERENCES \"scans\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"reviews\" ADD CONSTRAINT \"FK_88a51c87e7f6c7cae2851397215\" FOREIGN KEY (\"reader_study_id\") REFERENCES \"reader_studies\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"reviews\" DROP CONSTRAINT \"FK_88a51c87e7f6c7cae2851397215\"");
    await queryRunner.query("ALTER TABLE \"reader_study_cases\" DROP CONSTRAINT \"FK_cde442a5a2c8b331ade9642339a\"");
    await queryRunner.query("ALTER TABLE \"reader_study_cases\" DROP CONSTRAINT \"FK_1d2e348b5d21bd361f4c3622e46\"");
    await queryRunner.query("ALTER TABLE \"reader_studies\" DROP CONSTRAINT \"FK_c7def28e9deac2974c2dbe3805c\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_ed4aeeb30fade9a96d5f2421e0\"");
    await queryRunner.query("ALTER TABLE \"reviews\" DROP COLUMN \"reader_study_id\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_4fba07e42d4c024acb1556f7c4\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_8110e52953b8c167e843fdaef6\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_cde442a5a2c8b331ade9642339\"");
    await queryRunner.query("DROP TABLE \"reader_study_cases\"");
    await queryRunner.query("DROP TABLE \"reader_studies\"");
    await queryRunner.query("DROP TYPE \"public\".\"reader_study_status\"");
    await queryRunner.query("DROP TYPE \"public\".\"reader_study_mode\"");
  }
}
