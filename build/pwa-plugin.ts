/**
 * Vite plugin: builds src/sw.ts into <outDir>/sw.js after the app build, injects the Workbox
 * precache manifest (workbox-build injectManifest) and FAILS the build when anything the app needs
 * offline is missing from it (see build/precache-check.ts).
 *
 * Its transformIndexHtml step adds the hashes of inline <style> blocks to the page's CSP (build/csp-hashes.ts).
 * It also defines `__APP_BUILD_ID__` for the app and the worker (APP_BUILD_ID env var, else
 * `<package version>+<UTC build time>`), so the running version can be shown and tested.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve } from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import { injectManifest } from 'workbox-build';
import { addInlineStyleHashes, hasInlineScript } from './csp-hashes.js';
import { HASHED_ASSET, checkPrecache } from './precache-check.js';
import { PRECACHE_EXTENSIONS } from './precache-extensions.js';

const NOT_PRECACHED = ['sw.js', '**/*.map'];

export interface OfflinePwaOptions {
  /** Service worker source, relative to the Vite root. */
  swSrc?: string;
}

function defaultBuildId(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${pkg.version ?? '0.0.0'}+${stamp}`;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

/** Size of the largest file that will be precached; the Workbox size limit sits just above it. */
export function largestPrecachedFile(outDir: string): { path: string; bytes: number } {
  let largest = { path: '', bytes: 0 };
  for (const file of listFiles(outDir)) {
    const rel = relative(outDir, file).replaceAll('\\', '/');
    if (rel === 'sw.js' || rel.endsWith('.map')) continue;
    if (!PRECACHE_EXTENSIONS.includes(extname(file).slice(1))) continue;
    const bytes = statSync(file).size;
    if (bytes > largest.bytes) largest = { path: rel, bytes };
  }
  return largest;
}

async function compileServiceWorker(root: string, swSrc: string, buildId: string): Promise<string> {
  const tmp = mkdtempSync(join(tmpdir(), 'sw-build-'));
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    define: {
      'process.env.NODE_ENV': JSON.stringify('production'),
      __APP_BUILD_ID__: JSON.stringify(buildId),
    },
    build: {
      outDir: tmp,
      emptyOutDir: true,
      copyPublicDir: false,
      minify: true,
      sourcemap: false,
      lib: { entry: resolve(root, swSrc), formats: ['iife'], name: 'appServiceWorker', fileName: () => 'sw.js' },
    },
  });
  return join(tmp, 'sw.js');
}

export function offlinePwa(options: OfflinePwaOptions = {}): Plugin {
  const swSrc = options.swSrc ?? 'src/sw.ts';
  let config: ResolvedConfig | undefined;
  let buildId = '';
  return {
    name: 'malaria-offline-pwa',
    config(userConfig) {
      buildId = process.env.APP_BUILD_ID ?? defaultBuildId(resolve(userConfig.root ?? process.cwd()));
      return { define: { __APP_BUILD_ID__: JSON.stringify(buildId) } };
    },
    configResolved(resolved) {
      config = resolved;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (hasInlineScript(html)) throw new Error('index.html: inline <script> is not allowed by the CSP');
        return addInlineStyleHashes(html);
      },
    },
    async closeBundle() {
      if (!config || config.command !== 'build' || config.build.ssr) return;
      const root = config.root;
      const outDir = resolve(root, config.build.outDir);
      const compiled = await compileServiceWorker(root, swSrc, buildId);
      try {
        const largest = largestPrecachedFile(outDir);
        const { count, size, warnings } = await injectManifest({
          swSrc: compiled,
          swDest: join(outDir, 'sw.js'),
          globDirectory: outDir,
          globPatterns: [`**/*.{${PRECACHE_EXTENSIONS.join(',')}}`],
          globIgnores: NOT_PRECACHED,
          // Just above the largest file: nothing needed is silently dropped, nothing huge sneaks in.
          maximumFileSizeToCacheInBytes: largest.bytes + 1024,
          // Vite's hashed assets are revisioned by their names; everything else gets an md5 revision.
          dontCacheBustURLsMatching: HASHED_ASSET,
        });
        const check = checkPrecache(outDir, root);
        const problems = [...warnings.map((w) => `workbox: ${w}`), ...check.problems];
        if (problems.length > 0) {
          throw new Error(`Offline precache check FAILED:\n  - ${problems.join('\n  - ')}`);
        }
        config.logger.info(
          `[pwa] sw.js: ${count} files precached, ${(size / 1048576).toFixed(2)} MiB; ` +
            `largest ${largest.path} (${largest.bytes} B); build ${buildId}`,
        );
      } finally {
        rmSync(join(compiled, '..'), { recursive: true, force: true });
      }
    },
  };
}
