/**
 * @malaria/contract — what the app (src/) and training (training/) must agree on, in one package both
 * import by name: the model's metadata.json (schema and validation), the pixels → model-input
 * preprocessing, the cell labels, the review rules (which cells a person must look at) and the slide
 * result computed from what a person confirmed, plus the model-only rule training reports.
 * The preprocessing itself (`preprocessPixels`, tfjs-core) is its own entry, `@malaria/contract/preprocess`.
 */
export * from './labels.js';
export * from './metadata.js';
export * from './review-rules.js';
export * from './slide-result.js';
export * from './model-verdict.js';
export * from './seeded-random.js';
