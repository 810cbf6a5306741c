/**
 * What the app's bundle gets for `@tensorflow/tfjs-core` (vite.config.ts aliases the bare package
 * name here): the package's own entry (dist/index.js) minus its `registerOptimizers()` call, the way
 * tfjs' custom bundles replace that file. Registering the seven optimizer classes for
 * (de)serialisation keeps all of them in the bundle (≈ 13 KB before the app is ready); the app
 * never trains or deserialises an optimizer. Everything else is the same: the base side effects
 * (engine, flags, platforms, op handler) and every export.
 */
import '@tensorflow/tfjs-core/dist/base_side_effects';
export * from '@tensorflow/tfjs-core/dist/base';
