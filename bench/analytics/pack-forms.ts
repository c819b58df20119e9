/**
 * The AI arm of diagnosticPerformance from the former 10⁻⁴-grid packs and from the exact packs,
 * side by side on one database: the service is called directly (the GraphQL layer around it is
 * the same for both), one form then the other in each run, so load on the shared machine falls on
 * both alike. thresholdSimulation reads no AI score pack: the same query fills both of its columns.
 */
import { separateTestPredictionScores } from '@bonescan/db/testing';
import { quantile } from '@bonescan/stats';
import type { DataSource } from 'typeorm';
import { judgedAiFigures } from '../../services/api/src/analytics/ai-score-days';
import { AnalyticsService } from '../../services/api/src/analytics/analytics.service';
import type { DateRange } from '../../services/api/src/analytics/estimate';
import { gridAiFigures, packGridAiScores } from './grid-packs';

interface Timing {
  p50: number;
  p95: number;
}

const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};

const timing = (times: number[]): Timing => ({ p50: quantile(times, 0.5)!, p95: quantile(times, 0.95)! });

async function alternate(runs: number, before: () => Promise<unknown>, after: () => Promise<unknown>): Promise<[Timing, Timing]> {
  const [beforeTimes, afterTimes]: [number[], number[]] = [[], []];
  for (let r = 0; r < runs; r++) {
    beforeTimes.push(await timed(before));
    afterTimes.push(await timed(after));
  }
  return [timing(beforeTimes), timing(afterTimes)];
}

/**
 * Packs the grid form (the exact packs are packed by the first request, as in production), times
 * both, and returns the table's lines. `ranges` name the date ranges diagnosticPerformance covers.
 */
export async function comparePackForms(dataSource: DataSource, modelVersionId: string, ranges: Array<[string, DateRange]>, runs: number): Promise<string[]> {
  const grid = new AnalyticsService(dataSource, gridAiFigures);
  const exact = new AnalyticsService(dataSource, judgedAiFigures);
  const gridPacking = await timed(() => packGridAiScores(dataSource, modelVersionId));
  const [name, range] = ranges[ranges.length - 1];
  const exactPacking = await timed(() => exact.diagnosticPerformance(range, modelVersionId));
  const lines = [
    `packing every stale day: 10⁻⁴ grid ${(gridPacking / 1000).toFixed(1)} s (all days, bench table), exact ${(exactPacking / 1000).toFixed(1)} s (first request, ${name})`,
    `${'query'.padEnd(40)} ${'10⁻⁴ grid p50 / p95 ms'.padStart(24)} ${'exact p50 / p95 ms'.padStart(22)}   p95 exact / grid`,
  ];
  const ms = (t: Timing) => `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)}`;
  for (const [label, r] of ranges) {
    // The first call of each warms plans and caches, and gives the AUC each form reports.
    const [gridAuc, exactAuc] = [(await grid.diagnosticPerformance(r, modelVersionId)).ai.auc, (await exact.diagnosticPerformance(r, modelVersionId)).ai.auc];
    const [before, after] = await alternate(
      runs,
      () => grid.diagnosticPerformance(r, modelVersionId),
      () => exact.diagnosticPerformance(r, modelVersionId),
    );
    lines.push(
      `${`diagnosticPerformance ${label}`.padEnd(40)} ${ms(before).padStart(24)} ${ms(after).padStart(22)}   ${(after.p95 / before.p95).toFixed(2).padStart(6)}x` +
        `   AI AUC ${gridAuc.value} vs ${exactAuc.value}`,
    );
  }
  // Unchanged by the packs (it reads probability bands): both columns are the same query, timed in turn.
  const simulate = () => exact.thresholdSimulation(modelVersionId, 0.7);
  const [first, second] = await alternate(runs, simulate, simulate);
  lines.push(
    `${'thresholdSimulation 0.7 (same query)'.padEnd(40)} ${ms(first).padStart(24)} ${ms(second).padStart(22)}   ${(second.p95 / first.p95).toFixed(2).padStart(6)}x`,
  );
  return lines;
}

/**
 * Gives every judged prediction its own score, as a model's float outputs nearly all are: the seeded
 * scores take ~10,000 values (k / 10007), so a year's exact packs would merge to as few groups as
 * the grid's. Adds n × 10⁻¹² to the n-th prediction (under 10⁻⁶ in all, far below the seeds' 10⁻⁴
 * spacing); the triggers mark every day stale, as after any bulk write.
 */
export async function makeScoresDistinct(dataSource: DataSource): Promise<void> {
  await separateTestPredictionScores(dataSource, 1e-12);
  await dataSource.query('VACUUM ANALYZE predictions');
}
