/**
 * Bad inputs to `train`: each stops with a message saying what is wrong, and neither a model version folder
 * nor an in-progress folder is left behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildClassifier } from '../model/architecture';
import { phantomSet, tempDir, writeKerasStyleWeights } from '../testing/fixtures';
import { trainModel, TrainOptions } from './train-model';

function options(data: string[], out: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    data,
    out,
    architecture: 'vgg16-tiny',
    epochs: 1,
    stepsPerEpoch: 1,
    batchSize: 2,
    seed: 1,
    learningRate: 1e-3,
    resume: false,
    validationFraction: 0.25,
    backend: 'wasm',
    syntheticData: true,
    lesionPatchSteps: 0,
    ...extra,
  };
}

function expectNothingWritten(out: string): void {
  expect(fs.existsSync(out)).toBe(false);
  expect(fs.existsSync(`${out}.partial`)).toBe(false);
}

describe('train refuses bad inputs', () => {
  let data: string;
  beforeAll(async () => {
    data = await phantomSet({ n: 6, prevalence: 0.5, centre: 'A', seed: 3 });
  });

  it('an empty folder', async () => {
    const out = path.join(tempDir(), 'model');
    await expect(trainModel(options([tempDir()], out))).rejects.toThrow(/has no labels.csv; expected columns case_id,file,mbd,findings,centre/);
    expectNothingWritten(out);
  });

  it('labels.csv naming files that do not exist', async () => {
    const copy = path.join(tempDir(), 'set');
    fs.cpSync(data, copy, { recursive: true });
    const [, first] = fs.readFileSync(path.join(copy, 'labels.csv'), 'utf8').split('\n');
    const missing = first.split(',')[1];
    fs.rmSync(path.join(copy, missing));
    const out = path.join(tempDir(), 'model');
    await expect(trainModel(options([copy], out))).rejects.toThrow(`names 1 file(s) that do not exist in ${copy}: ${missing}`);
    expectNothingWritten(out);
  });

  it('one class only', async () => {
    const negatives = await phantomSet({ n: 3, prevalence: 0, centre: 'B', seed: 4 });
    const out = path.join(tempDir(), 'model');
    await expect(trainModel(options([negatives], out))).rejects.toThrow(
      /training needs both classes, at least 2 scans each; the data has 0 MBD and 3 no-MBD scans/,
    );
    expectNothingWritten(out);
  });

  it('ImageNet weights of another architecture', async () => {
    const weights = path.join(tempDir(), 'imagenet');
    await writeKerasStyleWeights(weights, buildClassifier('vgg16-compact', 1));
    const out = path.join(tempDir(), 'model');
    await expect(trainModel(options([data], out, { weights }))).rejects.toThrow(
      /block1_conv1\/kernel .* has shape \[3,3,3,8\] but the vgg16-tiny model needs \[3,3,3,4\]: these weights are for another architecture/,
    );
    expectNothingWritten(out);
  });

  it('--lesion-patches on data without lesion masks', async () => {
    const copy = path.join(tempDir(), 'set');
    fs.cpSync(data, copy, { recursive: true });
    const [, first] = fs.readFileSync(path.join(copy, 'labels.csv'), 'utf8').split('\n');
    const caseId = first.split(',')[0];
    fs.rmSync(path.join(copy, 'masks', `${caseId}-PA.png`));
    const out = path.join(tempDir(), 'model');
    await expect(trainModel(options([copy], out, { lesionPatchSteps: 5 }))).rejects.toThrow(
      `--lesion-patches needs lesion masks for every case; ${caseId} has no masks/${caseId}-AP.png and -PA.png`,
    );
    expectNothingWritten(out);
  });

  it('a corrupted checkpoint on --resume', async () => {
    const out = path.join(tempDir(), 'model');
    fs.mkdirSync(path.join(`${out}.partial`, 'checkpoint'), { recursive: true });
    fs.writeFileSync(path.join(`${out}.partial`, 'checkpoint', 'state.json'), '{"epochsDone": 1, "runKey"');
    await expect(trainModel(options([data], out, { resume: true }))).rejects.toThrow(
      /checkpoint .* is corrupted \(state.json: .*\); delete .* and train again without --resume/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('an existing model version, or an interrupted run without --resume', async () => {
    const existing = tempDir();
    await expect(trainModel(options([data], existing))).rejects.toThrow(/model version folder .* already exists; choose another --out/);
    const out = path.join(tempDir(), 'model');
    fs.mkdirSync(`${out}.partial`);
    await expect(trainModel(options([data], out))).rejects.toThrow(/an interrupted training run is in .*\.partial; pass --resume to continue it, or delete it/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
