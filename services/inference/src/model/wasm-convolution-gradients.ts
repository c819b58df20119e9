/**
 * Convolution gradients on WASM.
 *
 * tfjs-backend-wasm ships no Conv2DBackpropFilter kernel, so training a convolution on WASM fails out of the
 * box. The filter gradient is itself a convolution: for stride s,
 *   dW[kh, kw, ci, co] = sum_{b, y, x} x[b, y*s + kh - padTop, x*s + kw - padLeft, ci] * dy[b, y, x, co]
 * which is a forward Conv2D of x with its batch and channel axes swapped ([ci, H, W, b]) by dy used as the
 * filter ([oh, ow, b, co]) dilated by s. The result [ci, KH, KW, co] is transposed to [KH, KW, ci, co].
 * That is exact (same sums, different order) and runs on XNNPACK like every other WASM convolution.
 */
import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Attrs = tf.NamedAttrMap;

function runWasmKernel(name: string, backend: BackendWasm, inputs: tf.NamedTensorInfoMap, attrs: Attrs): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as tf.TensorInfo;
}

function conv2DBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }) {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, filterShape, dataFormat } = attrs as unknown as {
    strides: [number, number] | number;
    pad: backend_util.ExplicitPadding | 'valid' | 'same' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
    dataFormat: 'NHWC' | 'NCHW';
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports channels-last (NHWC) only');
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const [, inHeight, inWidth] = x.shape;
  const { top, left } = info.padInfo;
  // Padding after the input chosen so the "output" of the swapped convolution is exactly KH x KW. It is
  // negative when a stride leaves trailing input rows unused: those rows are cropped instead.
  const bottom = info.filterHeight - 1 + (info.outHeight - 1) * info.strideHeight + 1 - inHeight - top;
  const right = info.filterWidth - 1 + (info.outWidth - 1) * info.strideWidth + 1 - inWidth - left;
  const temporaries: tf.TensorInfo[] = [];
  let xT = runWasmKernel('Transpose', wasm, { x }, { perm: [3, 1, 2, 0] });
  temporaries.push(xT);
  if (bottom < 0 || right < 0) {
    xT = runWasmKernel(
      'Slice',
      wasm,
      { x: xT },
      {
        begin: [0, 0, 0, 0],
        size: [xT.shape[0], inHeight + Math.min(bottom, 0), inWidth + Math.min(right, 0), xT.shape[3]],
      },
    );
    temporaries.push(xT);
  }
  const dyT = runWasmKernel('Transpose', wasm, { x: dy }, { perm: [1, 2, 0, 3] });
  temporaries.push(dyT);
  const explicit: backend_util.ExplicitPadding = [
    [0, 0],
    [top, Math.max(bottom, 0)],
    [left, Math.max(right, 0)],
    [0, 0],
  ];
  const gradient = runWasmKernel('Conv2D', wasm, { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: explicit,
    dilations: [info.strideHeight, info.strideWidth],
    dataFormat: 'NHWC',
  } as unknown as Attrs);
  temporaries.push(gradient);
  const dW = runWasmKernel('Transpose', wasm, { x: gradient }, { perm: [1, 2, 0, 3] });
  for (const t of temporaries) wasm.disposeData(t.dataId);
  return dW;
}

/**
 * The wasm backend's own Conv2DBackpropInput is a plain loop, ~10x slower than its forward convolution. For
 * stride 1 the input gradient is also a forward convolution: dy convolved with the filter rotated by 180°
 * and its channel axes swapped, padded by K-1-pad on each side. Other strides keep the original kernel.
 */
function conv2DBackpropInputVia(original: tf.KernelFunc) {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }) => {
    const wasm = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dimRoundingMode, inputShape, dataFormat } = args.attrs as unknown as {
      strides: [number, number] | number;
      pad: backend_util.ExplicitPadding | 'valid' | 'same' | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      inputShape: [number, number, number, number];
      dataFormat: 'NHWC' | 'NCHW';
    };
    const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
    const { top, bottom, left, right } = info.padInfo;
    const pads = [info.filterHeight - 1 - top, info.filterHeight - 1 - bottom, info.filterWidth - 1 - left, info.filterWidth - 1 - right];
    if (dataFormat === 'NCHW' || info.strideHeight !== 1 || info.strideWidth !== 1 || pads.some((p) => p < 0)) {
      return original(args as Parameters<tf.KernelFunc>[0]);
    }
    const rotated = runWasmKernel('Reverse', wasm, { x: filter }, { dims: [0, 1] });
    const swapped = runWasmKernel('Transpose', wasm, { x: rotated }, { perm: [0, 1, 3, 2] });
    const dx = runWasmKernel('Conv2D', wasm, { x: dy, filter: swapped }, {
      strides: [1, 1],
      pad: [
        [0, 0],
        [pads[0], pads[1]],
        [pads[2], pads[3]],
        [0, 0],
      ],
      dilations: [1, 1],
      dataFormat: 'NHWC',
    } as unknown as Attrs);
    wasm.disposeData(rotated.dataId);
    wasm.disposeData(swapped.dataId);
    return dx;
  };
}

/**
 * Registers the convolution gradients on wasm once; call after the wasm backend module is imported.
 * Conv2DBackpropFilter is missing there (training fails without it); Conv2DBackpropInput is replaced for speed.
 */
export function registerWasmConvolutionGradients(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') != null) return;
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as tf.KernelFunc });
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (original == null) throw new Error('the wasm backend has no Conv2DBackpropInput kernel to fall back on');
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropInputVia(original.kernelFunc) as tf.KernelFunc,
    // The original's setup binds its wasm function; it must still run when the backend initialises.
    setupFunc: original.setupFunc,
  });
}
