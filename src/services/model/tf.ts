/**
 * The tfjs API the classifier uses: `@tensorflow/tfjs-core` (tensors, ops, io, browser), under one
 * namespace. The network itself runs on core ops (src/core/model/cell-network.ts), so neither
 * tfjs-layers nor the `@tensorflow/tfjs` umbrella (converter, tfjs-data, WebGL) is loaded, and
 * neither are the umbrella's registrations: all gradients (the classifier registers the few
 * Grad-CAM needs, head-gradients.ts) and the chained tensor methods (`t.reshape(…)`: write
 * `tf.reshape(t, …)`). Backends are registered by backend-runtime.ts.
 */
export * from '@tensorflow/tfjs-core';
