import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAnalyticsRollups1795761924132 implements MigrationInterface {
  name = 'AddAnalyticsRollups1795761924132';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"analytics_daily_reads\" (\"day\" date NOT NULL, \"model_version_id\" uuid NOT NULL, \"ai_label\" \"public\".\"prediction_label\" NOT NULL, \"ground_truth\" text NOT NULL, \"ai_visible\" boolean NOT NULL, \"verdict\" \"public\".\"verdict\" NOT NULL, \"confidence\" smallint NOT NULL, \"reads\" integer NOT NULL, CONSTRAINT \"analytics_daily_reads_ground_truth\" CHECK (\"ground_truth\" IN ('MBD', 'NO_MBD', 'PENDING')), CONSTRAINT \"PK_de038e40ddf28e19dd52ae04cad\" PRIMARY KEY (\"day\", \"model_version_id\", \"ai_label\", \"ground_truth\", \"ai_visible\", \"verdict\", \"confidence\"))");
    await queryRunner.query("CREATE TABLE \"analytics_daily_hotspot_reasons\" (\"day\" date NOT NULL, \"model_version_id\" uuid NOT NULL, \"reason\" text NOT NULL, \"assessments\" integer NOT NULL, CONSTRAINT \"PK_9e1444e88ee9d7a232c102b8ee6\" PRIMARY KEY (\"day\", \"model_version_id\", \"reason\"))");
    await queryRunner.query("CREATE TABLE \"analytics_scan_reads\" (\"scan_id\" uuid NOT NULL, \"unaided_reads\" integer NOT NULL DEFAULT '0', \"unaided_sent_on\" integer NOT NULL DEFAULT '0', \"aided_reads\" integer NOT NULL DEFAULT '0', \"aided_sent_on\" integer NOT NULL DEFAULT '0', CONSTRAINT \"PK_a4dbe964adf02b4e9a2983b3169\" PRIMARY KEY (\"scan_id\"))");
    await queryRunner.query("CREATE TABLE \"analytics_daily_paired_reads\" (\"day\" date NOT NULL, \"model_version_id\" uuid NOT NULL, \"scans\" integer NOT NULL, \"spared\" integer NOT NULL, CONSTRAINT \"PK_3806f0d1c6fc41ee5f604085feb\" PRIMARY KEY (\"day\", \"model_version_id\"))");
    await queryRunner.query("CREATE TABLE \"analytics_probability_bands\" (\"model_version_id\" uuid NOT NULL, \"ground_truth\" text NOT NULL, \"band\" integer NOT NULL, \"predictions\" integer NOT NULL, CONSTRAINT \"analytics_probability_bands_ground_truth\" CHECK (\"ground_truth\" IN ('MBD', 'NO_MBD', 'PENDING')), CONSTRAINT \"PK_6762c5c376b9cd9e5d454c3aec2\" PRIMARY KEY (\"model_version_id\", \"ground_truth\", \"band\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"analytics_probability_bands\"");
    await queryRunner.query("DROP TABLE \"analytics_daily_paired_reads\"");
    await queryRunner.query("DROP TABLE \"analytics_scan_reads\"");
    await queryRunner.query("DROP TABLE \"analytics_daily_hotspot_reasons\"");
    await queryRunner.query("DROP TABLE \"analytics_daily_reads\"");
  }
}
