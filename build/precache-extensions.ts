/** File types the service worker precaches (everything the shell, the model and tfjs need). */
export const PRECACHE_EXTENSIONS = [
  'html',
  'js',
  'mjs',
  'css',
  'json',
  'bin',
  'wasm',
  'png',
  'svg',
  'ico',
  'webp',
  'woff2',
  'webmanifest',
];
