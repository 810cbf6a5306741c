/**
 * What the app's bundle gets for `@tensorflow/tfjs-core` (vite.config.ts aliases the bare package
 * name here): the package's own entry (dist/index.js) minus its `registerOptimizers()` call, the way
 * tfjs' custom bundles replace that file. Registering the seven optimizer classes for
 * (de)serialisation keeps all of them in the bundle (≈ 13 KB before the app is ready); the app
 * never trains or deserialises an optimizer. Everything else is the same: the base side effects
 * (engine, flags, platforms, op handler) and every export, except `image` below.
 */
import '@tensorflow/tfjs-core/dist/base_side_effects';
import { flipLeftRight } from '@tensorflow/tfjs-core/dist/ops/image/flip_left_right';
import { resizeBilinear } from '@tensorflow/tfjs-core/dist/ops/image/resize_bilinear';
export * from '@tensorflow/tfjs-core/dist/base';

/**
 * `tf.image` with the two ops the app runs: the contract's preprocessing and Grad-CAM's upsampling
 * call `tf.image.resizeBilinear`, and a two-view model's second view (`@malaria/contract/model-views`)
 * and its where map call `tf.image.flipLeftRight` (the same op functions as the package's). The package's `image` is
 * an object literal of all 16 image ops, so reading one member kept every op and its helpers
 * (crop-and-resize, non-max suppression, transform, …: 8.4 KB in the classifier worker's chunk,
 * docs/performance.md, step 7). This local export shadows the `export *` above (ES modules: a local
 * export wins over a star export). Types still come from the package, so the compiler would not
 * catch another image op: scripts/tfjs-trim.test.ts fails if the app's code uses one.
 */
export const image = { resizeBilinear, flipLeftRight };
