/**
 * The tfjs API the classifier uses: `@tensorflow/tfjs-core` (tensors, ops, io, browser) and
 * `@tensorflow/tfjs-layers` (the layers model), re-exported under one namespace the way the
 * `@tensorflow/tfjs` umbrella does, without the umbrella's converter, tfjs-data and WebGL backend.
 * Backends are registered by backend-runtime.ts.
 */
// Gradients and chained tensor methods, as the umbrella registers them (see backend-runtime.ts).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
