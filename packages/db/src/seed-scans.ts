import type { DataSource } from 'typeorm';

export interface SyntheticScanOptions {
  count: number;
  /** Model version to attach predictions to; none when omitted. */
  modelVersionId?: string;
  /** Reader to attach one review to every third scan; none when omitted. */
  readerId?: string;
  sites?: string[];
  /** Scans are numbered offset + 1 … offset + count, scan n arriving n × 37 s before now: chunks seeded in turn line up in time. */
  offset?: number;
  /**
   * Records ground truth (by this user) for four in five predicted scans, drawn as Bernoulli(AI
   * probability) so the AI is informative, and makes every second review an unaided read with its
   * own noisy verdict: the data the analytics need.
   */
  groundTruthRecordedById?: string;
  /** Derive scan and patient ids from (idSeed, n) instead of at random, so a test's data is the same every run. */
  idSeed?: number;
}

/**
 * Inserts `count` synthetic scan records (patient, AP + PA views, prediction, some reviews) with
 * set-based SQL, fast enough for 100,000 rows. Records only: view blob keys point at no pixels.
 * Used by tests and benchmarks that need volume, never by clinical code.
 */
export async function seedSyntheticScans(dataSource: DataSource, options: SyntheticScanOptions): Promise<void> {
  const sites = options.sites ?? ['North', 'South', 'East'];
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `CREATE TEMP TABLE seed_scans ON COMMIT DROP AS
       SELECT CASE WHEN $3::int IS NULL THEN gen_random_uuid() ELSE md5('scan:' || $3 || ':' || g)::uuid END AS scan_id,
              CASE WHEN $3::int IS NULL THEN gen_random_uuid() ELSE md5('patient:' || $3 || ':' || g)::uuid END AS patient_id, g AS n,
              now() - (g * interval '37 seconds') AS arrived_at,
              CASE WHEN g % 10 = 0 THEN NULL ELSE ((g::bigint * 7919) % 10007) / 10007.0 END AS probability
       FROM generate_series($2::int + 1, $2::int + $1) AS g`,
      [options.count, options.offset ?? 0, options.idSeed ?? null],
    );
    await manager.query(
      `INSERT INTO patients (id, patient_id, name, birth_date, sex)
       SELECT patient_id, 'SYN-' || left(replace(patient_id::text, '-', ''), 12), 'Synthetic^Patient' || n, date '1950-01-01' + (n % 12000), CASE WHEN n % 2 = 0 THEN 'F' ELSE 'M' END
       FROM seed_scans`,
    );
    await manager.query(
      `INSERT INTO scans (id, patient_id, study_instance_uid, site, manufacturer, acquired_at, arrived_at, status, ai_probability, ai_label, predicted_at)
       SELECT scan_id, patient_id, '2.25.' || floor(random() * 1e15)::bigint || lpad(n::text, 9, '0'), ($1::text[])[1 + n % array_length($1::text[], 1)],
              'Synthetic', arrived_at - interval '20 minutes', arrived_at,
              CASE WHEN probability IS NULL THEN 'QUEUED' ELSE 'PREDICTED' END::scan_status,
              CASE WHEN $2::uuid IS NULL THEN NULL ELSE probability END,
              CASE WHEN $2::uuid IS NULL OR probability IS NULL THEN NULL WHEN probability >= 0.5 THEN 'MBD' ELSE 'NO_MBD' END::ai_label,
              CASE WHEN $2::uuid IS NULL OR probability IS NULL THEN NULL ELSE arrived_at + interval '2 minutes' END
       FROM seed_scans`,
      [sites, options.modelVersionId ?? null],
    );
    await manager.query(
      `INSERT INTO scan_views (scan_id, view, pixel_blob_key, width, height, pixel_spacing_x, pixel_spacing_y, sop_instance_uid)
       SELECT scan_id, v.view::scan_view, repeat('0', 64), 256, 1024, 2.4, 2.4, '2.25.9' || n
       FROM seed_scans CROSS JOIN (VALUES ('AP'), ('PA')) AS v(view)`,
    );
    if (options.modelVersionId) {
      await manager.query(
        `INSERT INTO predictions (scan_id, model_version_id, probability, label, threshold, backend, latency_ms, hotspots, created_at)
         SELECT scan_id, $1, probability, CASE WHEN probability >= 0.5 THEN 'MBD' ELSE 'NO_MBD' END::prediction_label, 0.5, 'cpu', 1000,
                jsonb_build_array(jsonb_build_object('view', 'AP', 'x', 128, 'y', 300, 'intensity', 0.9, 'region', 'LUMBAR_SPINE')),
                arrived_at + interval '2 minutes'
         FROM seed_scans WHERE probability IS NOT NULL`,
        [options.modelVersionId],
      );
    }
    if (options.readerId) {
      const unaided = options.groundTruthRecordedById !== undefined;
      await manager.query(
        `INSERT INTO reviews (scan_id, reader_id, verdict, confidence, time_spent_ms, ai_visible, created_at)
         SELECT scan_id, $1,
                CASE WHEN $2 AND n % 2 = 1 THEN CASE WHEN random() < coalesce(probability, 0.5) THEN 'MBD' ELSE 'NO_MBD' END
                     WHEN coalesce(probability, 0) >= 0.5 THEN 'MBD' ELSE 'NO_MBD' END::verdict,
                CASE WHEN $2 THEN 1 + n % 5 ELSE 4 END, 15000, NOT ($2 AND n % 2 = 1), arrived_at + interval '1 hour'
         FROM seed_scans WHERE n % 3 = 0`,
        [options.readerId, unaided],
      );
      await manager.query(
        `UPDATE scans s SET first_read_at = s.arrived_at + interval '1 hour', final_read_at = s.arrived_at + interval '1 hour', status = 'REVIEWED'
         FROM seed_scans ss WHERE ss.scan_id = s.id AND ss.n % 3 = 0`,
      );
    }
    if (options.groundTruthRecordedById) {
      await manager.query(
        `INSERT INTO ground_truths (scan_id, mbd, source, diagnosed_on, recorded_by_id)
         SELECT scan_id, random() < probability, 'FOLLOW_UP', arrived_at::date, $1
         FROM seed_scans WHERE probability IS NOT NULL AND n % 5 <> 4`,
        [options.groundTruthRecordedById],
      );
    }
  });
}
