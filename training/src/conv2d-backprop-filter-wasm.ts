/**
 * Conv gradients for tfjs-backend-wasm, which ships no Conv2DBackpropFilter kernel (so conv layers
 * cannot be trained on WASM out of the box) and a slow, direct-loop Conv2DBackpropInput.
 *
 * Two Conv2DBackpropFilter implementations, chosen by measurement (`npm run bench:kernels -w training`):
 *  - `conv3d`: the backend's native Conv3DBackpropFilterV2 with a depth of 1 (views, no copies);
 *    stride 1 only (strided cases are wrong in the native kernel and go to im2col).
 *  - `im2col`: pad → fh·fw strided slices → concat → one matMul (XNNPACK) — the default, several
 *    times faster on the model's shapes.
 * Conv2DBackpropInput (stride 1) is replaced by a forward conv of dy with the flipped,
 * channel-swapped filter, which runs on XNNPACK; other strides use the native kernel.
 *
 * Kernels may call ops: the engine does not record ops on the gradient tape while a kernel runs.
 * Ownership: a result computed by ops is handed to the engine by incRef + dispose of the op tensor.
 */
import * as tf from '@tensorflow/tfjs-core';

type Pad = 'same' | 'valid';
export type BackpropFilterImpl = 'conv3d' | 'im2col';

interface ConvGradAttrs {
  strides: number | [number, number];
  pad: Pad | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

type RefCountingBackend = tf.KernelBackend & { incRef(dataId: object): void };

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

function checkAttrs(attrs: ConvGradAttrs, kernel: string): void {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(`${kernel} (wasm): only NHWC is supported, got ${attrs.dataFormat}`);
  }
  if (attrs.pad !== 'same' && attrs.pad !== 'valid') {
    throw new Error(`${kernel} (wasm): only 'same'/'valid' padding is supported`);
  }
}

/** Wraps a kernel input as an op-usable tensor that the caller must dispose (data stays alive). */
function borrow(backend: RefCountingBackend, info: tf.TensorInfo): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromDataId(info.dataId, info.shape, info.dtype, backend);
}

/** Hands an op-created tensor back to the engine as a kernel output. */
function release(backend: RefCountingBackend, t: tf.Tensor): tf.TensorInfo {
  backend.incRef(t.dataId);
  const info: tf.TensorInfo = { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
  t.dispose();
  return info;
}

export function conv2dBackpropFilterConv3d(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: [number, number, number, number] };
  checkAttrs(attrs, 'Conv2DBackpropFilter');
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const [, oh, ow, oc] = dy.shape as [number, number, number, number];
  const [fh, fw] = attrs.filterShape;
  const [sh, sw] = pair(attrs.strides);
  // tfjs-backend-wasm 4.22's Conv3DBackpropFilterV2 disagrees with the cpu backend for strided
  // 'same' convolutions (caught by test/kernel.test.ts), so strided cases use im2col.
  if (sh !== 1 || sw !== 1) return conv2dBackpropFilterIm2col(args);
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  if (!conv3d) throw new Error('wasm backend lacks Conv3DBackpropFilterV2');
  const out = conv3d.kernelFunc({
    inputs: {
      x: { dataId: x.dataId, shape: [b, 1, h, w, c], dtype: x.dtype },
      dy: { dataId: dy.dataId, shape: [b, 1, oh, ow, oc], dtype: dy.dtype },
    },
    backend: args.backend,
    attrs: { strides: [1, sh, sw], pad: attrs.pad, filterShape: [1, fh, fw, c, oc] },
  }) as tf.TensorInfo;
  return { dataId: out.dataId, shape: [fh, fw, c, oc], dtype: out.dtype };
}

export function conv2dBackpropFilterIm2col(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as RefCountingBackend;
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: [number, number, number, number] };
  checkAttrs(attrs, 'Conv2DBackpropFilter');
  const xInfo = args.inputs.x as tf.TensorInfo;
  const dyInfo = args.inputs.dy as tf.TensorInfo;
  const [b, , , c] = xInfo.shape as [number, number, number, number];
  const [, oh, ow, oc] = dyInfo.shape as [number, number, number, number];
  const [fh, fw] = attrs.filterShape;
  const strides = pair(attrs.strides);
  const info = tf.backend_util.computeConv2DInfo(
    xInfo.shape as [number, number, number, number],
    attrs.filterShape,
    strides,
    1,
    attrs.pad as Pad,
  );
  const { top, bottom, left, right } = info.padInfo;
  const x = borrow(backend, xInfo);
  const dy = borrow(backend, dyInfo);
  const result = tf.tidy(() => {
    const xp =
      top + bottom + left + right > 0
        ? tf.pad(x as tf.Tensor4D, [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ])
        : x;
    // Channel-first copy of the (small) input so that the im2col matrix comes out as [K, n] and the
    // product is a plain matMul: wasm's transposed matMul and big transposes are ~10x slower.
    const xc = tf.transpose(xp, [3, 0, 1, 2]); // [c, b, hp, wp]
    const n = b * oh * ow;
    const rows: tf.Tensor[] = [];
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        const patch =
          strides[0] === 1 && strides[1] === 1
            ? tf.slice(xc, [0, 0, i, j], [c, b, oh, ow])
            : tf.stridedSlice(
                xc,
                [0, 0, i, j],
                [c, b, i + (oh - 1) * strides[0] + 1, j + (ow - 1) * strides[1] + 1],
                [1, 1, strides[0], strides[1]],
              );
        rows.push(tf.reshape(patch, [c, n]));
      }
    }
    const colsT = rows.length === 1 ? (rows[0] as tf.Tensor) : tf.concat(rows, 0); // [fh*fw*c, n]
    const dw = tf.matMul(colsT as tf.Tensor2D, tf.reshape(dy, [n, oc]) as tf.Tensor2D);
    return tf.reshape(dw, [fh, fw, c, oc]);
  });
  x.dispose();
  dy.dispose();
  return release(backend, result);
}

/** Conv2DBackpropInput for stride 1 via a forward conv on XNNPACK; delegates other cases. */
function makeBackpropInput(native: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => {
    const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: [number, number, number, number] };
    const [sh, sw] = pair(attrs.strides);
    const [dh, dw] = pair(attrs.dilations ?? 1);
    if (
      sh !== 1 ||
      sw !== 1 ||
      dh !== 1 ||
      dw !== 1 ||
      (attrs.pad !== 'same' && attrs.pad !== 'valid') ||
      (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')
    ) {
      return native(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const backend = args.backend as RefCountingBackend;
    const dyInfo = args.inputs.dy as tf.TensorInfo;
    const filterInfo = args.inputs.filter as tf.TensorInfo;
    const [fh, fw] = filterInfo.shape as [number, number, number, number];
    const [, h, w] = attrs.inputShape;
    const [, oh, ow] = dyInfo.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filterInfo.shape as [number, number, number, number],
      1,
      1,
      attrs.pad,
    );
    const { top, left } = info.padInfo;
    const pt = fh - 1 - top;
    const pl = fw - 1 - left;
    const pb = h - oh + fh - 1 - pt;
    const pr = w - ow + fw - 1 - pl;
    const dy = borrow(backend, dyInfo);
    const filter = borrow(backend, filterInfo);
    const result = tf.tidy(() => {
      // W'[i, j, oc, c] = W[fh-1-i, fw-1-j, c, oc]
      const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      const padded = tf.pad(dy as tf.Tensor4D, [
        [0, 0],
        [pt, pb],
        [pl, pr],
        [0, 0],
      ]);
      return tf.conv2d(padded, flipped, 1, 'valid');
    });
    dy.dispose();
    filter.dispose();
    return release(backend, result);
  };
}

let registeredImpl: BackpropFilterImpl | null = null;

/**
 * Registers the conv gradient kernels for the 'wasm' backend (idempotent per implementation).
 * Must run before the wasm backend is first initialised or after; kernels are looked up per call.
 */
export function registerWasmConvGradients(impl: BackpropFilterImpl = 'im2col'): void {
  if (registeredImpl === impl) return;
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: (impl === 'im2col'
      ? conv2dBackpropFilterIm2col
      : conv2dBackpropFilterConv3d) as unknown as tf.KernelFunc,
  });
  if (registeredImpl === null) {
    const native = tf.getKernel('Conv2DBackpropInput', 'wasm');
    if (native) {
      const nativeFunc = native.kernelFunc;
      const nativeSetup = native.setupFunc;
      tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
      tf.registerKernel({
        kernelName: 'Conv2DBackpropInput',
        backendName: 'wasm',
        setupFunc: nativeSetup,
        kernelFunc: makeBackpropInput(nativeFunc) as unknown as tf.KernelFunc,
      });
    }
  }
  registeredImpl = impl;
}
