import type { DataSource } from 'typeorm';

/**
 * Every analytics rollup as the database holds it, next to the same counts worked out afresh from
 * reviews and predictions; rows whose count is 0 are left out of both, since a rollup keeps a key
 * whose rows have all gone. Rows are value lists in the order of the rollup's columns, count last.
 * Tests compare the two after writes of every kind.
 */
export async function rollupsBesideSources(dataSource: DataSource): Promise<Record<string, { held: unknown[][]; fromSources: unknown[][] }>> {
  const pairs = `FROM reviews r JOIN predictions p ON p.scan_id = r.scan_id`;
  const day = `(p.scan_arrived_at AT TIME ZONE 'UTC')::date::text`;
  const truth = `CASE WHEN p.ground_truth_mbd IS NULL THEN 'PENDING' WHEN p.ground_truth_mbd THEN 'MBD' ELSE 'NO_MBD' END`;
  const heldAndFresh = async (held: string, fresh: string, columns: number) => {
    const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
    const query = async (sql: string) => (await dataSource.query(`SELECT * FROM (${sql}) q WHERE n <> 0 ORDER BY ${order}`)).map(Object.values);
    return { held: await query(held), fromSources: await query(fresh) };
  };
  return {
    reads: await heldAndFresh(
      `SELECT day::text, model_version_id, ai_label::text, ground_truth, ai_visible, verdict::text, confidence, reads AS n FROM analytics_daily_reads`,
      `SELECT ${day}, p.model_version_id, p.label::text, ${truth}, r.ai_visible, r.verdict::text, r.confidence, count(*)::int AS n ${pairs} GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      7,
    ),
    hotspotReasons: await heldAndFresh(
      `SELECT day::text, model_version_id, reason, assessments AS n FROM analytics_daily_hotspot_reasons`,
      `SELECT ${day}, p.model_version_id, a->>'reason' AS reason, count(*)::int AS n ${pairs} CROSS JOIN jsonb_array_elements(r.hotspot_assessments) a GROUP BY 1, 2, 3`,
      3,
    ),
    pairedReads: await heldAndFresh(
      `SELECT day::text, model_version_id, spared, scans AS n FROM analytics_daily_paired_reads`,
      `SELECT ${day}, p.model_version_id, count(*) FILTER (WHERE unaided_sent_on AND NOT aided_sent_on)::int AS spared, count(*)::int AS n
       FROM (SELECT p.scan_arrived_at, p.model_version_id, bool_or(r.verdict <> 'NO_MBD') FILTER (WHERE NOT r.ai_visible) AS unaided_sent_on,
                    bool_or(r.verdict <> 'NO_MBD') FILTER (WHERE r.ai_visible) AS aided_sent_on
             ${pairs} WHERE NOT p.ground_truth_mbd GROUP BY r.scan_id, p.scan_arrived_at, p.model_version_id
             HAVING bool_or(NOT r.ai_visible) AND bool_or(r.ai_visible)) p GROUP BY 1, 2`,
      3,
    ),
    probabilityBands: await heldAndFresh(
      `SELECT model_version_id, ground_truth, band, predictions AS n FROM analytics_probability_bands`,
      `SELECT p.model_version_id, ${truth} AS ground_truth, floor(p.probability * 1000)::int AS band, count(*)::int AS n FROM predictions p GROUP BY 1, 2, 3`,
      3,
    ),
  };
}
