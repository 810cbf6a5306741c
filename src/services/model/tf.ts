/**
 * The tfjs API the classifier uses: `@tensorflow/tfjs-core` (tensors, ops, io, browser), under one
 * namespace. The network itself runs on core ops (src/core/model/cell-network.ts), so neither
 * tfjs-layers nor the `@tensorflow/tfjs` umbrella (converter, tfjs-data, WebGL) is loaded.
 * Backends are registered by backend-runtime.ts.
 */
// Gradients and chained tensor methods, as the umbrella registers them (see backend-runtime.ts).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

export * from '@tensorflow/tfjs-core';
