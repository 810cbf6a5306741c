/**
 * Grad-CAM with only the head gradients registered, as in the app: this file imports tfjs-core and
 * the CPU backend, never the `@tensorflow/tfjs` umbrella or tfjs-layers (both register every
 * gradient), so a gradient missing from head-gradients.ts fails here. The networks are built from
 * Keras JSON with seeded weights (network-json-test-kit.ts): heads of every kind network-plan.ts accepts.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCellNetwork } from '../../core/model/cell-network.js';
import {
  LAYER_VARIANTS,
  sequentialTopology,
  shippedModelArtifacts,
  withSeededWeights,
} from '../../core/model/network-json-test-kit.js';
import { foldBatchNorms } from '../../core/model/optimize-model.js';
import { gradCam } from '../../core/review/where-map.js';
import { HEAD_GRADIENTS, registerHeadGradients } from './head-gradients.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('head gradients', () => {
  it('are all that is registered: without them Grad-CAM fails; convolution gradients stay out', () => {
    const network = createCellNetwork(withSeededWeights(sequentialTopology(LAYER_VARIANTS[0]!.layers), 1));
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    try {
      expect(() => gradCam(network, x)).toThrow(/gradient/i);
      registerHeadGradients();
      registerHeadGradients(); // idempotent
      tf.dispose(gradCam(network, x));
      for (const kernel of ['Conv2D', 'FusedConv2D', 'DepthwiseConv2dNative', 'GatherV2', 'Prod']) {
        expect(tf.getGradient(kernel), kernel).toBeUndefined();
      }
      expect(HEAD_GRADIENTS.every((g) => tf.getGradient(g.kernelName) === g)).toBe(true);
    } finally {
      x.dispose();
      network.dispose();
    }
  });

  it.each(LAYER_VARIANTS)('suffice for Grad-CAM on: $name', ({ layers }) => {
    registerHeadGradients();
    // Seed 3: where the output is not a sigmoid (tanh), P lands inside (0, 1), so the logit of P
    // (clipped to 1e-7 … 1 − 1e-7) passes a gradient.
    const network = createCellNetwork(withSeededWeights(sequentialTopology(layers), 3));
    const x = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    try {
      const cam = gradCam(network, x);
      const values = cam.dataSync();
      cam.dispose();
      expect(cam.shape).toEqual([3, ...network.split!.featureShape.slice(0, 2)]);
      expect(values.every(Number.isFinite)).toBe(true);
      // The head's gradient itself is not all zero (Grad-CAM's ReLU may still zero a cell's map).
      const split = network.split!;
      const g = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(split.headLogits(a as tf.Tensor4D)))(split.features(x)));
      const gradient = g.dataSync();
      g.dispose();
      expect(gradient.some((v) => v !== 0)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      x.dispose();
      network.dispose();
    }
  });

  it('suffice for Grad-CAM on the shipped model as the app folds it', () => {
    registerHeadGradients();
    const network = createCellNetwork(foldBatchNorms(shippedModelArtifacts()).artifacts);
    const x = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    try {
      const cam = gradCam(network, x);
      expect(cam.shape).toEqual([2, 8, 8]);
      expect(cam.dataSync().every(Number.isFinite)).toBe(true);
      cam.dispose();
    } finally {
      x.dispose();
      network.dispose();
    }
  });
});
