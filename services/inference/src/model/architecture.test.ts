import * as tf from '@tensorflow/tfjs';
import { buildClassifier, architectureOf } from './architecture';

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
      'Conv2D:block1_conv1:64:relu', 'Conv2D:block1_conv2:64:relu', 'MaxPooling2D:block1_pool',
      'Conv2D:block2_conv1:128:relu', 'Conv2D:block2_conv2:128:relu', 'MaxPooling2D:block2_pool',
      'Conv2D:block3_conv1:256:relu', 'Conv2D:block3_conv2:256:relu', 'Conv2D:block3_conv3:256:relu', 'MaxPooling2D:block3_pool',
      'Conv2D:block4_conv1:512:relu', 'Conv2D:block4_conv2:512:relu', 'Conv2D:block4_conv3:512:relu', 'MaxPooling2D:block4_pool',
      'Conv2D:block5_conv1:512:relu', 'Conv2D:block5_conv2:512:relu', 'Conv2D:block5_conv3:512:relu', 'MaxPooling2D:block5_pool',
      'GlobalAveragePooling2D:global_average_pooling',
      'Dense:dense:512:relu',
      'Dense:predictions:2:softmax',
    ]);
    expect(model.inputs[0].shape).toEqual([null, 512, 512, 3]);
    expect(model.countParams()).toBe(14_978_370);
    expect(architectureOf(model)).toBe('vgg16');
    model.dispose();
  });

  it('the compact variant has the same layer sequence with narrower layers', () => {
    const full = buildClassifier('vgg16');
    const compact = buildClassifier('vgg16-compact');
    expect(compact.layers.map((l) => l.getClassName())).toEqual(full.layers.map((l) => l.getClassName()));
    expect(compact.layers.map((l) => l.name)).toEqual(full.layers.map((l) => l.name));
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
