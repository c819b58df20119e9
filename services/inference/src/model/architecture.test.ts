import * as tf from '@tensorflow/tfjs';
import { buildClassifier, architectureOf, lastConvolutionOutput } from './architecture';

describe('classifier architecture', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is the paper VGG16: 13 convolutions in 5 blocks, GAP, Dense(512, ReLU), Dense(2, softmax), 14,978,370 parameters', () => {
    const model = buildClassifier('vgg16');
    const sequence = model.layers.map((layer) => {
      const config = layer.getConfig();
      const detail = config.filters ?? config.units ?? '';
      return `${layer.getClassName()}:${layer.name}${detail ? `:${detail}` : ''}${config.activation ? `:${config.activation}` : ''}`;
    });
    expect(sequence).toEqual([
      'InputLayer:scan',
      'Conv2D:block1_conv1:64:relu',
      'Conv2D:block1_conv2:64:relu',
      'MaxPooling2D:block1_pool',
      'Conv2D:block2_conv1:128:relu',
      'Conv2D:block2_conv2:128:relu',
      'MaxPooling2D:block2_pool',
      'Conv2D:block3_conv1:256:relu',
      'Conv2D:block3_conv2:256:relu',
      'Conv2D:block3_conv3:256:relu',
      'MaxPooling2D:block3_pool',
      'Conv2D:block4_conv1:512:relu',
      'Conv2D:block4_conv2:512:relu',
      'Conv2D:block4_conv3:512:relu',
      'MaxPooling2D:block4_pool',
      'Conv2D:block5_conv1:512:relu',
      'Conv2D:block5_conv2:512:relu',
      'Conv2D:block5_conv3:512:relu',
      'MaxPooling2D:block5_pool',
      'GlobalAveragePooling2D:global_average_pooling',
      'Dense:dense:512:relu',
      'Dense:predictions:2:softmax',
    ]);
    expect(model.inputs[0].shape).toEqual([null, 512, 512, 3]);
    expect(model.countParams()).toBe(14_978_370);
    expect(architectureOf(model)).toBe('vgg16');
    expect(lastConvolutionOutput(model)).toBe('block5_conv3');
    model.dispose();
  });

  it('the compact variant has the same convolutions, pools and head, narrower, each convolution batch-normalised', () => {
    const full = buildClassifier('vgg16');
    const compact = buildClassifier('vgg16-compact');
    const withoutBatchNorm = compact.layers.filter((l) => !/_(bn|relu)$/.test(l.name));
    expect(withoutBatchNorm.map((l) => `${l.getClassName()}:${l.name}`)).toEqual(full.layers.map((l) => `${l.getClassName()}:${l.name}`));
    const convolutions = compact.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convolutions.map((l) => l.getConfig().filters)).toEqual([8, 8, 16, 16, 32, 32, 32, 64, 64, 64, 64, 64, 64]);
    for (const conv of convolutions) {
      const names = compact.layers.map((l) => l.name);
      const at = names.indexOf(conv.name);
      expect(conv.getConfig().activation).toBe('linear');
      expect(compact.layers.slice(at + 1, at + 3).map((l) => l.getClassName())).toEqual(['BatchNormalization', 'Activation']);
    }
    expect(lastConvolutionOutput(compact)).toBe('block5_conv3_relu');
    expect(compact.countParams()).toBeLessThan(full.countParams() / 40);
    expect(architectureOf(compact)).toBe('vgg16-compact');
    full.dispose();
    compact.dispose();
  });

  it('the same seed gives the same initial weights', () => {
    const a = buildClassifier('vgg16-compact', 7);
    const b = buildClassifier('vgg16-compact', 7);
    expect(Array.from(a.getWeights()[0].dataSync())).toEqual(Array.from(b.getWeights()[0].dataSync()));
    a.dispose();
    b.dispose();
  });
});
