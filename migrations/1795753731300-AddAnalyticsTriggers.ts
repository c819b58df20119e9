import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeps the analytics copies on predictions (scan arrival, ground truth) and reviews (scan arrival)
 * in step with their sources, whoever writes them (API, inference workers, imports, raw SQL), and
 * indexes them so a date-range figure is one index-only range scan, not a join over every scan.
 * Triggers, INCLUDE indexes and the backfill are beyond what TypeORM derives from entities.
 */
export class AddAnalyticsTriggers1795753731300 implements MigrationInterface {
  name = 'AddAnalyticsTriggers1795753731300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION predictions_copy_scan_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT s.arrived_at INTO NEW.scan_arrived_at FROM scans s WHERE s.id = NEW.scan_id;
        SELECT g.mbd INTO NEW.ground_truth_mbd FROM ground_truths g WHERE g.scan_id = NEW.scan_id;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER predictions_copy_scan_facts BEFORE INSERT OR UPDATE OF scan_id ON predictions
      FOR EACH ROW EXECUTE FUNCTION predictions_copy_scan_facts()`);
    await queryRunner.query(`
      CREATE FUNCTION reviews_copy_scan_arrival() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT s.arrived_at INTO NEW.scan_arrived_at FROM scans s WHERE s.id = NEW.scan_id;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER reviews_copy_scan_arrival BEFORE INSERT OR UPDATE OF scan_id ON reviews
      FOR EACH ROW EXECUTE FUNCTION reviews_copy_scan_arrival()`);
    await queryRunner.query(`
      CREATE FUNCTION ground_truths_copy_to_predictions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          UPDATE predictions SET ground_truth_mbd = NULL WHERE scan_id = OLD.scan_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          UPDATE predictions SET ground_truth_mbd = NEW.mbd WHERE scan_id = NEW.scan_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ground_truths_copy_to_predictions AFTER INSERT OR UPDATE OF mbd, scan_id OR DELETE ON ground_truths
      FOR EACH ROW EXECUTE FUNCTION ground_truths_copy_to_predictions()`);
    await queryRunner.query(`
      CREATE FUNCTION scans_copy_arrival() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE predictions SET scan_arrived_at = NEW.arrived_at WHERE scan_id = NEW.id;
        UPDATE reviews SET scan_arrived_at = NEW.arrived_at WHERE scan_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER scans_copy_arrival AFTER UPDATE OF arrived_at ON scans
      FOR EACH ROW WHEN (OLD.arrived_at IS DISTINCT FROM NEW.arrived_at) EXECUTE FUNCTION scans_copy_arrival()`);
    await queryRunner.query(`UPDATE predictions p SET scan_arrived_at = s.arrived_at FROM scans s WHERE s.id = p.scan_id`);
    await queryRunner.query(`UPDATE predictions p SET ground_truth_mbd = g.mbd FROM ground_truths g WHERE g.scan_id = p.scan_id`);
    await queryRunner.query(`UPDATE reviews r SET scan_arrived_at = s.arrived_at FROM scans s WHERE s.id = r.scan_id`);
    await queryRunner.query(
      `CREATE INDEX "predictions_analytics" ON "predictions" ("model_version_id", "scan_arrived_at") INCLUDE ("scan_id", "probability", "label", "ground_truth_mbd")`,
    );
    await queryRunner.query(`CREATE INDEX "reviews_analytics" ON "reviews" ("scan_arrived_at") INCLUDE ("scan_id", "verdict", "confidence", "ai_visible")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "reviews_analytics"');
    await queryRunner.query('DROP INDEX "predictions_analytics"');
    await queryRunner.query('DROP TRIGGER scans_copy_arrival ON scans');
    await queryRunner.query('DROP FUNCTION scans_copy_arrival()');
    await queryRunner.query('DROP TRIGGER ground_truths_copy_to_predictions ON ground_truths');
    await queryRunner.query('DROP FUNCTION ground_truths_copy_to_predictions()');
    await queryRunner.query('DROP TRIGGER reviews_copy_scan_arrival ON reviews');
    await queryRunner.query('DROP FUNCTION reviews_copy_scan_arrival()');
    await queryRunner.query('DROP TRIGGER predictions_copy_scan_facts ON predictions');
    await queryRunner.query('DROP FUNCTION predictions_copy_scan_facts()');
  }
}
