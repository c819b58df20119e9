/**
 * Speed of @bonescan/stats on analytics-sized inputs.
 * Baseline, run in the same process: the textbook O(n²) Mann–Whitney AUC (every
 * positive against every negative) on 10 000 scores, and our AUC on the same data.
 *
 *   nice -n 10 node -r @swc-node/register bench/stats/run.ts [--repeats 3]
 *
 * Prints one line per measurement (median of the repeats) and the speed-up ratios.
 */
import { auc, aucCi, createRandom, delong, delongPairedTest } from '@bonescan/stats';
import type { Label } from '@bonescan/stats';

function parseRepeats(argv: string[]): number {
  const at = argv.indexOf('--repeats');
  const repeats = at >= 0 ? Number(argv[at + 1]) : 3;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a positive integer, got ${argv[at + 1]}`);
  return repeats;
}

/** Scores of a moderately good classifier, rounded so that ties occur as with real model outputs. */
function simulate(count: number, seed: number): { scores: Float64Array; labels: Label[] } {
  const random = createRandom(seed);
  const scores = new Float64Array(count);
  const labels = new Array<Label>(count);
  for (let i = 0; i < count; i++) {
    labels[i] = random() < 0.3 ? 1 : 0;
    scores[i] = Math.round((random() + 0.5 * labels[i]) * 1e4) / 1e4;
  }
  return { scores, labels };
}

function naiveMannWhitney(scores: Float64Array, labels: Label[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

let sink = 0;

/** Median wall time in ms over the repeats; progress with an ETA on stderr. */
function time(name: string, repeats: number, run: () => number): number {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    sink += run();
    times.push(performance.now() - start);
    const eta = ((repeats - r - 1) * times.reduce((a, b) => a + b, 0)) / times.length / 1000;
    process.stderr.write(`  ${name}: run ${r + 1}/${repeats}, ETA ${eta.toFixed(1)} s\n`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${name.padEnd(44)} ${median.toFixed(1).padStart(10)} ms`);
  return median;
}

function main(): void {
  const repeats = parseRepeats(process.argv);
  const small = simulate(10_000, 1);
  const naive = time('naive O(n²) Mann–Whitney AUC, n = 1e4', repeats, () => naiveMannWhitney(small.scores, small.labels));
  const fastSmall = time('auc, n = 1e4', repeats, () => auc(small.scores, small.labels));
  if (Math.abs(naiveMannWhitney(small.scores, small.labels) - auc(small.scores, small.labels)) > 1e-12) {
    throw new Error('auc disagrees with the naive Mann–Whitney baseline');
  }
  const results: Record<string, number> = {};
  for (const n of [100_000, 1_000_000]) {
    const data = simulate(n, 2);
    const label = n === 100_000 ? '1e5' : '1e6';
    results[`auc ${label}`] = time(`auc, n = ${label}`, repeats, () => auc(data.scores, data.labels));
    results[`delong ${label}`] = time(`delong (AUC + variance), n = ${label}`, repeats, () => delong(data.scores, data.labels).variance);
    const second = simulate(n, 3).scores;
    results[`paired ${label}`] = time(
      `delongPairedTest (two raters), n = ${label}`,
      repeats,
      () => delongPairedTest(data.scores, second, data.labels).variance,
    );
    results[`aucCi ${label}`] = time(`aucCi bootstrap, 100 resamples, n = ${label}`, repeats, () => aucCi(data.scores, data.labels).lower);
  }
  console.log('');
  console.log(`speed-up of auc over naive at n = 1e4:            ${(naive / fastSmall).toFixed(0)}×`);
  console.log(`naive at 1e4 vs auc at 1e6 (100× the data):       ${(naive / results['auc 1e6']).toFixed(1)}×`);
  console.log(`naive extrapolated to 1e6 (×1e4): ${((naive * 1e4) / 1000 / 60).toFixed(0)} min vs auc ${results['auc 1e6'].toFixed(0)} ms`);
  console.log(`delong 1e6 / naive 1e4 ratio:                     ${(results['delong 1e6'] / naive).toFixed(2)}`);
  console.log(`delongPairedTest 1e6 / naive 1e4 ratio:           ${(results['paired 1e6'] / naive).toFixed(2)}`);
  console.log(`aucCi 1e6 / naive 1e4 ratio:                      ${(results['aucCi 1e6'] / naive).toFixed(2)}`);
  if (!Number.isFinite(sink)) throw new Error('benchmark produced a non-finite statistic');
}

main();
