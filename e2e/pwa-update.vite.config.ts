/**
 * Vite config for the two builds of the update test (e2e/pwa-update.spec.ts): the real app config
 * plus a plugin that tags model/metadata.json with PWA_TEST_MODEL_TAG, so build A and build B ship
 * different model files (different precache revisions) and the test can tell which one is in use.
 * The weights are the shipped ones, untouched. Build with APP_BUILD_ID set as well.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeConfig, type Plugin } from 'vite';
import appConfig from '../vite.config.js';

function tagModelMetadata(tag: string): Plugin {
  return {
    name: 'pwa-update-test:tag-model',
    apply: 'build',
    // writeBundle runs after the public dir was copied and before offlinePwa's closeBundle hashes it.
    writeBundle(options) {
      const file = join(options.dir ?? 'dist', 'model', 'metadata.json');
      const meta = JSON.parse(readFileSync(file, 'utf8')) as { name: string };
      meta.name = `${meta.name} (${tag})`;
      writeFileSync(file, `${JSON.stringify(meta, null, 2)}\n`);
    },
  };
}

const tag = process.env.PWA_TEST_MODEL_TAG;
if (!tag) throw new Error('PWA_TEST_MODEL_TAG must be set');

export default mergeConfig(appConfig, { plugins: [tagModelMetadata(tag)], build: { sourcemap: false } });
