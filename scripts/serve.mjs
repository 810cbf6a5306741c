#!/usr/bin/env node
/**
 * Production server for the built app (`npm start`): serves dist/ on PORT (default 4173) with
 * cross-origin isolation (COOP same-origin + COEP require-corp, so the threaded WASM backend can use
 * SharedArrayBuffer), the security headers (CSP `frame-ancestors 'none'`: no other site may frame
 * the app; `Referrer-Policy: no-referrer`; a `Permissions-Policy` that allows the camera to this
 * origin only; `nosniff`) — all from build/http-headers.json, the same list public/_headers ships to
 * static hosts — correct MIME types for .wasm/.json/.bin/.webmanifest, and no-cache for sw.js and
 * index.html (so updates are picked up). With --build-if-needed it first runs `vite build` when
 * dist/ is missing or older than the sources.
 *
 *   node scripts/serve.mjs [--build-if-needed] [--host 0.0.0.0]    PORT=8080 node scripts/serve.mjs
 *   DIST_DIR=/tmp/my-dist …   serves (and builds into) another folder, e.g. for a private test run.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = resolve(process.env.DIST_DIR ?? join(ROOT, 'dist'));
const args = process.argv.slice(2);
const PORT = Number(process.env.PORT ?? 4173);
const hostArg = args.indexOf('--host');
const HOST = hostArg >= 0 ? (args[hostArg + 1] ?? '0.0.0.0') : (process.env.HOST ?? '127.0.0.1');

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Headers on every response: isolation + security (build/http-headers.json). */
export const EVERY_RESPONSE_HEADERS = JSON.parse(
  readFileSync(join(ROOT, 'build', 'http-headers.json'), 'utf8'),
).everyResponse;

const NO_CACHE = new Set(['/sw.js', '/index.html']);

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function buildIfNeeded() {
  const built = join(DIST, 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'build', 'package.json'].map((p) => join(ROOT, p));
  const stale = !existsSync(built) || Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
  if (!stale) return;
  console.log('[serve] dist/ is missing or older than the sources: running vite build…');
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', DIST, '--emptyOutDir'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (r.status !== 0) {
    console.error('[serve] build failed');
    process.exit(r.status ?? 1);
  }
}

function resolvePath(urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (p.endsWith('/')) p += 'index.html';
  const file = normalize(join(DIST, p));
  if (file !== DIST && !file.startsWith(DIST + sep)) return null; // path traversal
  return file;
}

export function createAppServer() {
  return createServer((req, res) => {
    const common = { ...EVERY_RESPONSE_HEADERS };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolvePath(req.url ?? '/');
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const rel =
      '/' +
      file
        .slice(DIST.length + 1)
        .split(sep)
        .join('/');
    const headers = {
      ...common,
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': NO_CACHE.has(rel)
        ? 'no-cache'
        : /\/assets\//.test(rel)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
    };
    if (rel === '/sw.js') headers['Service-Worker-Allowed'] = '/';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (args.includes('--build-if-needed')) buildIfNeeded();
  if (!existsSync(join(DIST, 'index.html'))) {
    console.error(`[serve] ${DIST}/index.html not found: run \`npm run build\` first (or use --build-if-needed).`);
    process.exit(1);
  }
  createAppServer().listen(PORT, HOST, () => {
    console.log(
      `[serve] Malaria Screen at http://${HOST === '0.0.0.0' ? 'localhost' : HOST}:${PORT}/ (cross-origin isolated)`,
    );
  });
}
