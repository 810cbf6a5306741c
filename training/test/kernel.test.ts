import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmConvGradients, type BackpropFilterImpl } from '../src/conv2d-backprop-filter-wasm.js';
import { mulberry32 } from '../src/rng.js';

type Shape4 = [number, number, number, number];
interface Case {
  x: Shape4;
  f: [number, number];
  oc: number;
  stride: number;
  pad: 'same' | 'valid';
}

const cases: Case[] = [
  { x: [2, 9, 9, 3], f: [3, 3], oc: 4, stride: 1, pad: 'same' },
  { x: [2, 9, 9, 3], f: [3, 3], oc: 4, stride: 1, pad: 'valid' },
  { x: [3, 10, 8, 5], f: [3, 3], oc: 6, stride: 2, pad: 'same' },
  { x: [3, 11, 11, 2], f: [5, 5], oc: 3, stride: 2, pad: 'valid' },
  { x: [1, 16, 16, 8], f: [1, 1], oc: 16, stride: 1, pad: 'same' },
  { x: [4, 12, 12, 16], f: [3, 3], oc: 32, stride: 1, pad: 'same' },
];

function random(shape: number[], seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1);
}

function outShape(c: Case): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(c.x, [c.f[0], c.f[1], c.x[3], c.oc], c.stride, 1, c.pad);
  return [c.x[0], info.outHeight, info.outWidth, c.oc];
}

async function runOn(
  backend: string,
  kernel: 'Conv2DBackpropFilter' | 'Conv2DBackpropInput',
  c: Case,
  seed: number,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const dyShape = outShape(c);
  const filterShape: Shape4 = [c.f[0], c.f[1], c.x[3], c.oc];
  const x = tf.tensor4d(random(c.x, seed), c.x);
  const dy = tf.tensor4d(random(dyShape, seed + 1), dyShape);
  const filter = tf.tensor4d(random(filterShape, seed + 2), filterShape);
  const before = tf.memory().numTensors;
  const out =
    kernel === 'Conv2DBackpropFilter'
      ? (tf
          .engine()
          .runKernel(
            kernel,
            { x, dy },
            { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape },
          ) as tf.Tensor)
      : (tf
          .engine()
          .runKernel(
            kernel,
            { dy, filter },
            { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
          ) as tf.Tensor);
  assert.deepEqual(out.shape, kernel === 'Conv2DBackpropFilter' ? filterShape : c.x);
  const data = (await out.data()) as Float32Array;
  out.dispose();
  assert.equal(tf.memory().numTensors, before, `${backend} ${kernel} leaked tensors`);
  x.dispose();
  dy.dispose();
  filter.dispose();
  return data;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length);
  let maxErr = 0;
  let maxRef = 0;
  for (let i = 0; i < actual.length; i++) {
    maxErr = Math.max(maxErr, Math.abs((actual[i] as number) - (expected[i] as number)));
    maxRef = Math.max(maxRef, Math.abs(expected[i] as number));
  }
  assert.ok(maxErr <= 1e-4 * Math.max(1, maxRef), `${what}: max abs error ${maxErr} (max |ref| ${maxRef})`);
}

for (const impl of ['im2col', 'conv3d'] as BackpropFilterImpl[]) {
  test(`wasm Conv2DBackpropFilter (${impl}) matches the cpu backend`, async () => {
    registerWasmConvGradients(impl);
    for (const [i, c] of cases.entries()) {
      const ref = await runOn('cpu', 'Conv2DBackpropFilter', c, 100 + i);
      const got = await runOn('wasm', 'Conv2DBackpropFilter', c, 100 + i);
      assertClose(got, ref, `${impl} case ${i} ${JSON.stringify(c)}`);
    }
  });
}

test('wasm Conv2DBackpropInput (conv2d-based for stride 1, native otherwise) matches the cpu backend', async () => {
  registerWasmConvGradients('im2col');
  for (const [i, c] of cases.entries()) {
    const ref = await runOn('cpu', 'Conv2DBackpropInput', c, 200 + i);
    const got = await runOn('wasm', 'Conv2DBackpropInput', c, 200 + i);
    assertClose(got, ref, `case ${i} ${JSON.stringify(c)}`);
  }
});

test('gradients of a conv layer agree between wasm and cpu', async () => {
  registerWasmConvGradients('im2col');
  const grads = async (backend: string) => {
    await tf.setBackend(backend);
    const x = tf.tensor4d(random([2, 8, 8, 3], 7), [2, 8, 8, 3]);
    const w = tf.tensor4d(random([3, 3, 3, 5], 8), [3, 3, 3, 5]);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))),
    );
    const [gx, gw] = g([x, w]);
    const out = [await (gx as tf.Tensor).data(), await (gw as tf.Tensor).data()] as Float32Array[];
    tf.dispose([x, w, gx as tf.Tensor, gw as tf.Tensor]);
    return out;
  };
  const cpu = await grads('cpu');
  const wasm = await grads('wasm');
  assertClose(wasm[0] as Float32Array, cpu[0] as Float32Array, 'dL/dx');
  assertClose(wasm[1] as Float32Array, cpu[1] as Float32Array, 'dL/dw');
});
