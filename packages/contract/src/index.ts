/**
 * @malaria/contract — what the app (src/) and training (training/) must agree on, in one package both
 * import by name: the model's metadata.json (schema and validation), the pixels → model-input
 * preprocessing, the cell labels, the review rules (which cells a person must look at) and the slide
 * result computed from what a person confirmed, plus the model-only rule training reports.
 * The parts that need tfjs-core are their own entries: `@malaria/contract/preprocess` (`preprocessPixels`) and
 * `@malaria/contract/model-views` (the views a model runs on, metadata `output.views`).
 */
export * from './labels.js';
export * from './metadata.js';
export * from './review-rules.js';
export * from './slide-result.js';
export * from './model-verdict.js';
export * from './seeded-random.js';
