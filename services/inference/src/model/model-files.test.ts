import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildClassifier } from './architecture';
import { selectBackend } from './backend';
import { loadImagenetWeights } from './imagenet-weights';
import { loadLayersModelFromFolder, ModelLoadError, saveLayersModelToFolder } from './model-files';
import { tempDir, writeKerasStyleWeights } from '../testing/fixtures';

describe('model folders', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('saves and reloads a classifier with identical weights', async () => {
    const dir = tempDir();
    const model = buildClassifier('vgg16-compact', 3);
    await saveLayersModelToFolder(model, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const reloaded = await loadLayersModelFromFolder(dir);
    const a = model.getWeights();
    const b = reloaded.getWeights();
    expect(b.map((w) => w.shape)).toEqual(a.map((w) => w.shape));
    a.forEach((w, i) => expect(Array.from(b[i].dataSync())).toEqual(Array.from(w.dataSync())));
  });

  it('says what is wrong with a corrupted folder', async () => {
    const dir = tempDir();
    await expect(loadLayersModelFromFolder(dir)).rejects.toThrow(/no model.json in .*not a TensorFlow.js layers model folder/);
    await saveLayersModelToFolder(buildClassifier('vgg16-compact', 3), dir);
    const shard = path.join(dir, 'group1-shard1of1.bin');
    fs.truncateSync(shard, 1000);
    await expect(loadLayersModelFromFolder(dir)).rejects.toThrow(/hold 1000 bytes but model.json describes \d+; the shards are truncated or corrupted/);
    fs.rmSync(shard);
    await expect(loadLayersModelFromFolder(dir)).rejects.toThrow(/weight shard group1-shard1of1.bin named in .* is missing/);
    fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": {');
    await expect(loadLayersModelFromFolder(dir)).rejects.toThrow(ModelLoadError);
    await expect(loadLayersModelFromFolder(dir)).rejects.toThrow(/is not valid JSON/);
  });
});

describe('ImageNet weights', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('loads every convolution of the base by Keras layer name, leaving the head alone', async () => {
    const dir = tempDir();
    const source = buildClassifier('vgg16-compact', 11);
    await writeKerasStyleWeights(dir, source);
    const target = buildClassifier('vgg16-compact', 99);
    const headBefore = target.getLayer('dense').getWeights()[0].dataSync().slice();
    // 13 kernels: the compact variant's batch-normalised convolutions have no bias.
    expect(loadImagenetWeights(target, dir)).toBe(13);
    const conv = (m: tf.LayersModel) => Array.from(m.getLayer('block3_conv2').getWeights()[0].dataSync());
    expect(conv(target)).toEqual(conv(source));
    expect(Array.from(target.getLayer('dense').getWeights()[0].dataSync())).toEqual(Array.from(headBefore));
  });

  it('refuses weights of another architecture and changes nothing', async () => {
    const dir = tempDir();
    await writeKerasStyleWeights(dir, buildClassifier('vgg16-compact', 11));
    const full = buildClassifier('vgg16', 5);
    const before = full.getLayer('block1_conv1').getWeights()[0].dataSync().slice();
    expect(() => loadImagenetWeights(full, dir)).toThrow(
      /ImageNet weight block1_conv1\/kernel in .* has shape \[3,3,3,8\] but the vgg16 model needs \[3,3,3,64\]: these weights are for another architecture/,
    );
    expect(Array.from(full.getLayer('block1_conv1').getWeights()[0].dataSync())).toEqual(Array.from(before));
    full.dispose();
  });

  it('refuses a folder without the VGG16 layer names', async () => {
    const dir = tempDir();
    await writeKerasStyleWeights(dir, buildClassifier('vgg16-compact', 11), (n) => n.replace('block', 'stage'));
    expect(() => loadImagenetWeights(buildClassifier('vgg16-compact', 1), dir)).toThrow(/have no block1_conv1\/kernel; expected a Keras VGG16/);
  });
});
