import type { EntityManager } from 'typeorm';

/**
 * The three stages of turnaround as SQL over scans `s`, in minutes: the float8 values
 * percentile_cont sorts, through the functions the per-stage bin indexes are built on (migration
 * AddTurnaroundDurationBins). A stage's position is its number in packed duration bins.
 */
export const STAGES = [
  'analytics_minutes(s.arrived_at, s.predicted_at)',
  'analytics_minutes_to_read(s.predicted_at, s.first_read_at)',
  'analytics_minutes(s.arrived_at, s.final_read_at)',
] as const;

/**
 * Durations of the rows of `t` (columns to_ai, to_read, to_final) per stage and bin, with the
 * columns `by` of `t` in front: count, least and greatest minutes.
 */
export const binsOf = (by: string[]): string => {
  const front = by.map((column) => `t.${column}`);
  return `SELECT ${front.map((c) => `${c}, `).join('')}d.stage, analytics_duration_bin(d.minutes) AS bin,
      count(*)::int AS n, min(d.minutes) AS least, max(d.minutes) AS greatest
    FROM t CROSS JOIN LATERAL (VALUES (0, t.to_ai), (1, t.to_read), (2, t.to_final)) AS d(stage, minutes)
    WHERE d.minutes IS NOT NULL GROUP BY ${[...front, 'd.stage', 'analytics_duration_bin(d.minutes)'].join(', ')}`;
};

/** The rows of binsOf packed into one value, in the layout of TurnaroundPeriodFigures.durationBins. */
export const PACKED_BINS = `string_agg(int4send(stage) || int4send(bin) || int4send(n) || float8send(least) || float8send(greatest), ''::bytea ORDER BY stage, bin)`;
const ENTRY_BYTES = 28;

export interface DurationBin {
  stage: number;
  bin: number;
  n: number;
  least: number;
  greatest: number;
}

export function unpackBins(packed: Buffer): DurationBin[] {
  const bins: DurationBin[] = [];
  for (let at = 0; at < packed.length; at += ENTRY_BYTES) {
    bins.push({
      stage: packed.readInt32BE(at),
      bin: packed.readInt32BE(at + 4),
      n: packed.readInt32BE(at + 8),
      least: packed.readDoubleBE(at + 12),
      greatest: packed.readDoubleBE(at + 20),
    });
  }
  return bins;
}

/** Bins of one stage added up over periods, in ascending order of duration. */
function mergedBins(bins: DurationBin[], stage: number): DurationBin[] {
  const byBin = new Map<number, DurationBin>();
  for (const b of bins) {
    if (b.stage !== stage) continue;
    const seen = byBin.get(b.bin);
    if (!seen) byBin.set(b.bin, { ...b });
    else Object.assign(seen, { n: seen.n + b.n, least: Math.min(seen.least, b.least), greatest: Math.max(seen.greatest, b.greatest) });
  }
  return [...byBin.values()].sort((a, b) => a.bin - b.bin);
}

/**
 * percentile_cont(ARRAY[0.5, 0.9]) of one stage over the scans of the range whose bins are given,
 * exactly as PostgreSQL computes it: the values at ranks ⌊h⌋ and ⌈h⌉ (h = q × (n − 1)), mixed as
 * first + (second − first) × (h − ⌊h⌋). Each value is found in its bin: a bin whose least and
 * greatest are equal gives it at once; otherwise only that bin's scans are read and sorted,
 * through the stage's bin index. `manager` must see the same snapshot the bins came from.
 */
export async function stagePercentiles(
  manager: EntityManager,
  bins: DurationBin[],
  stage: number,
  scans: { from: Date; to: Date; site: string | null },
): Promise<number[] | null> {
  const ordered = mergedBins(bins, stage);
  const count = ordered.reduce((s, b) => s + b.n, 0);
  if (count === 0) return null;
  /** The bin holding the value of a rank, and the rank within that bin. */
  const locate = (rank: number): { bin: DurationBin; offset: number } => {
    let below = 0;
    for (const bin of ordered) {
      if (rank < below + bin.n) return { bin, offset: rank - below };
      below += bin.n;
    }
    throw new Error(`rank ${rank} lies beyond the ${count} durations of stage ${stage}`);
  };
  /** `n` consecutive values of one bin from `offset` on: at once when they are all alike, else from the bin's scans. */
  const valuesOf = async ({ bin, offset }: { bin: DurationBin; offset: number }, n: number): Promise<number[]> => {
    if (bin.least === bin.greatest) return Array<number>(n).fill(bin.least);
    const rows: Array<{ minutes: number }> = await manager.query(
      `SELECT minutes FROM (SELECT ${STAGES[stage]} AS minutes FROM scans s
         WHERE analytics_duration_bin(${STAGES[stage]}) = $1 AND s.arrived_at >= $2 AND s.arrived_at < $3 AND ($4::text IS NULL OR s.site = $4)) b
       ORDER BY minutes OFFSET $5 LIMIT $6`,
      [bin.bin, scans.from, scans.to, scans.site, offset, n],
    );
    // The bins and the scans are read in one snapshot, so the bin holds as many scans as counted.
    if (rows.length < n) throw new Error(`bin ${bin.bin} of stage ${stage} holds fewer scans than its count of ${bin.n}`);
    return rows.map((r) => r.minutes);
  };
  const result: number[] = [];
  for (const q of [0.5, 0.9]) {
    const h = q * (count - 1);
    const [first, second] = [Math.floor(h), Math.ceil(h)];
    const low = locate(first);
    const high = locate(second);
    // Adjacent ranks usually share a bin: one read gives both.
    const [lowValue, highValue] = low.bin === high.bin ? await valuesOf(low, second - first + 1) : [...(await valuesOf(low, 1)), ...(await valuesOf(high, 1))];
    result.push(lowValue + ((highValue ?? lowValue) - lowValue) * (h - first));
  }
  return result;
}
