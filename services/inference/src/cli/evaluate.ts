import { parseArgs } from 'node:util';
import { evaluateModel } from '../evaluation/evaluate-model';
import { commandLine, ProgressLine } from '@bonescan/logger';
import { numberOption, runCli, UsageError } from './run-cli';

const EVALUATE = commandLine({
  invocation: 'npm run evaluate --',
  synopsis:
    '--model <model version folder> --data <folder> [--data <folder>] [--out <dir>] [--resamples 100] [--seed 1] ' +
    '[--specificity 0.8] [--overlays 8] [--backend wasm|cpu|tensorflow|tensorflow-gpu]',
  purpose:
    'Evaluates a model version on labelled DICOM folders: AUC with its confidence interval, rates at the model’s threshold, calibration and the pointing game, with an HTML report.',
});

runCli(EVALUATE, async () => {
  const { values } = parseArgs({
    args: EVALUATE.arguments(),
    options: {
      model: { type: 'string' },
      data: { type: 'string', multiple: true },
      out: { type: 'string' },
      resamples: { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
      specificity: { type: 'string', default: '0.8' },
      overlays: { type: 'string', default: '8' },
      backend: { type: 'string' },
    },
  });
  if (!values.model) throw new UsageError('--model <model version folder> is required');
  if (!values.data?.length) throw new UsageError('--data <folder of DICOM + labels.csv> is required');
  let bar: ProgressLine | undefined;
  const report = await evaluateModel({
    model: values.model,
    data: values.data,
    out: values.out,
    resamples: numberOption('resamples', values.resamples!, { integer: true, min: 10 }),
    seed: numberOption('seed', values.seed!, { integer: true, min: 0 }),
    targetSpecificity: numberOption('specificity', values.specificity!, { min: 0, max: 1 }),
    overlays: numberOption('overlays', values.overlays!, { integer: true, min: 0 }),
    backend: values.backend,
    onProgress: (done, total) => {
      bar ??= new ProgressLine('evaluating (predict, then Grad-CAM of positive calls)', total);
      bar.update(done);
    },
  });
  const r = report.atModelThreshold.rates;
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
  process.stdout.write(
    [
      `${report.model.name} on ${report.dataset.scans} scans (${report.dataset.positives} MBD):`,
      `  AUC ${report.aucCi.estimate.toFixed(3)} (95 % CI ${report.aucCi.lower.toFixed(3)}–${report.aucCi.upper.toFixed(3)}, ${report.aucCi.resamples} resamples)`,
      `  at threshold ${report.model.threshold.toFixed(4)}: TPR ${pct(r.sensitivity)} TNR ${pct(r.specificity)} FPR ${pct(r.fpr)} FNR ${pct(r.fnr)} F1 ${r.f1?.toFixed(3) ?? '—'}`,
      `  Youden threshold ${report.youden.threshold.toFixed(4)} (TPR ${pct(report.youden.sensitivity)}, TNR ${pct(report.youden.specificity)})`,
      `  ECE ${report.calibration.ece.toFixed(3)}; pointing game ${report.pointingGame.hits}/${report.pointingGame.truePositivesWithMasks} true positives`,
      `  report: ${values.out ?? values.model}/report.html`,
      '',
    ].join('\n'),
  );
});
