/**
 * Vite plugin: tfjs-core without its browser-storage model handlers.
 *
 * tfjs-core registers `indexeddb://` and `localstorage://` model handlers in two places:
 * `dist/io/io.js` imports `./indexed_db` and `./local_storage` for their URL routers (used by
 * `tf.loadLayersModel(url)` / `model.save(url)`), and `dist/platforms/platform_browser.js` imports
 * both to register their model store managers (behind `tf.io.listModels` / `copyModel` / …). The
 * app loads its model with `tf.io.http` (classifier.ts) and keeps its own data in IndexedDB
 * through idb, so none of them is ever consulted; the two modules were 7.8 KB (4.3 + 3.5) of the
 * classifier worker's tfjs chunk before the app is ready (docs/performance.md, step 7). With these
 * imports and registrations removed, nothing imports the two modules (in tfjs-core's dist only its
 * jasmine test helper does) and they leave the bundle. Everything is matched exactly (tfjs 4.22.0
 * is pinned): a changed package fails the build. scripts/tfjs-trim.test.ts checks the rewrites,
 * that the two modules become unreachable, and that the app's code uses no storage URL or model
 * store function.
 */
import type { Plugin } from 'vite';

/** Exact texts removed, per tfjs-core module (path under `@tensorflow/tfjs-core/dist/`). */
export const STORAGE_HANDLER_TEXTS: Readonly<Record<string, readonly string[]>> = {
  'io/io.js': ["import './indexed_db';\n", "import './local_storage';\n"],
  'platforms/platform_browser.js': [
    "import { BrowserIndexedDB, BrowserIndexedDBManager } from '../io/indexed_db';\n",
    "import { BrowserLocalStorage, BrowserLocalStorageManager } from '../io/local_storage';\n",
    "import { ModelStoreManagerRegistry } from '../io/model_management';\n",
    `    // Register LocalStorage IOHandler
    try {
        ModelStoreManagerRegistry.registerManager(BrowserLocalStorage.URL_SCHEME, new BrowserLocalStorageManager());
    }
    catch (err) {
    }
    // Register IndexedDB IOHandler
    try {
        ModelStoreManagerRegistry.registerManager(BrowserIndexedDB.URL_SCHEME, new BrowserIndexedDBManager());
    }
    catch (err) {
    }
`,
  ],
};

/** The tfjs-core module `id` is (a key of STORAGE_HANDLER_TEXTS), or null. */
export function trimmedModule(id: string): string | null {
  const m = /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/](io[\\/]io\.js|platforms[\\/]platform_browser\.js)$/.exec(id);
  return m?.[1] ? m[1].replace(/\\/g, '/') : null;
}

export function withoutStorageHandlers(module: string, code: string): string {
  const texts = STORAGE_HANDLER_TEXTS[module];
  if (!texts) throw new Error(`no storage-handler texts for ${module}`);
  let out = code;
  for (const text of texts) {
    const n = out.split(text).length - 1;
    if (n !== 1) {
      throw new Error(
        `tfjs-core's ${module} changed: "${text.split('\n')[0]?.trim()}" found ${n} times (build/tfjs-io-trim-plugin.ts)`,
      );
    }
    out = out.replace(text, '');
  }
  return out;
}

export function tfjsIoTrim(): Plugin {
  return {
    name: 'malaria:tfjs-io-trim',
    transform(code, id) {
      const module = trimmedModule(id.split('?')[0] ?? '');
      if (!module) return null;
      return { code: withoutStorageHandlers(module, code), map: null };
    },
  };
}
