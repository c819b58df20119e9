import type { DateRange } from './estimate';

const DAY_MS = 86_400_000;

/**
 * Query parameters for a figure counted over a date range: $1 from, $2 to, $3 model version, and
 * $4 / $5 the whole UTC days inside the range. The rollups (migration AddAnalyticsRollups) answer
 * the whole days, the source rows the parts of the range before $4 and from $5 on (under a day
 * each), so the sum is exactly what the source rows alone give. A range within one day has no
 * whole day: $4 = $5 = to, and the source rows answer all of it.
 */
export function wholeDayParams(range: DateRange, modelVersionId: string): [Date, Date, string, Date, Date] {
  const firstWholeDay = Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS;
  const endOfWholeDays = Math.floor(range.to.getTime() / DAY_MS) * DAY_MS;
  const [start, end] = firstWholeDay < endOfWholeDays ? [new Date(firstWholeDay), new Date(endOfWholeDays)] : [range.to, range.to];
  return [range.from, range.to, modelVersionId, start, end];
}

/** Rollup rows `d` of the model version ($3) on the whole days of the range. */
export const ON_WHOLE_DAYS = 'd.model_version_id = $3 AND d.day >= analytics_day($4) AND d.day < analytics_day($5)';

/** Source rows whose scan arrived in the range but not on one of its whole days. */
export const offWholeDays = (arrivedAt: string): string => `((${arrivedAt} >= $1 AND ${arrivedAt} < $4) OR (${arrivedAt} >= $5 AND ${arrivedAt} < $2))`;
