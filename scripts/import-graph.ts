/**
 * The module graph of the app and the contract package, read from the source (static imports,
 * `export … from`, dynamic `import()` and `new URL(…, import.meta.url)` worker entries), and the
 * layering rules it must keep (docs/architecture.md):
 *
 *   packages/contract  ← src/core  ← src/services  ← src/ui, src/pwa, src/main.ts
 *   (src/i18n + src/locales, the language runtime and tables, sit on core; ui and pwa use them)
 *
 * A layer imports only from itself and the layers to its left; src/core and the contract use no
 * Node built-ins (their tsconfigs have no DOM lib, so the compiler keeps the browser out).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export type Layer = 'contract' | 'core' | 'services' | 'i18n' | 'ui' | 'pwa' | 'entry';

/** Which layers each layer may import from (itself included). */
export const ALLOWED: Readonly<Record<Layer, readonly Layer[]>> = {
  contract: ['contract'],
  core: ['contract', 'core'],
  services: ['contract', 'core', 'services'],
  // The language runtime (src/i18n) and its translation tables (src/locales).
  i18n: ['contract', 'core', 'i18n'],
  pwa: ['contract', 'core', 'services', 'i18n', 'pwa'],
  ui: ['contract', 'core', 'services', 'i18n', 'pwa', 'ui'],
  entry: ['contract', 'core', 'services', 'i18n', 'pwa', 'ui', 'entry'],
};

export function layerOf(file: string): Layer | null {
  const rel = relative(ROOT, file);
  if (rel.startsWith('packages/contract/')) return 'contract';
  const m = /^src\/([^/]+)\//.exec(rel);
  if (!m) return rel.startsWith('src/') ? 'entry' : null;
  const top = m[1] as string;
  if (top === 'core' || top === 'services' || top === 'ui' || top === 'pwa') return top;
  if (top === 'i18n' || top === 'locales') return 'i18n';
  return 'entry';
}

export interface ImportEdge {
  from: string;
  to: string;
  spec: string;
  typeOnly: boolean;
}

const SPEC =
  /(import\s+type\s+[^'";]*?from\s*|import\s+[^'";]*?from\s*|export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s*from\s*|import\s*\(\s*|import\s+|new URL\(\s*)(['"])([^'"]+)\2/g;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function appFiles(): string[] {
  return [...sourceFiles(join(ROOT, 'packages/contract/src')), ...sourceFiles(join(ROOT, 'src'))];
}

function resolveSpec(from: string, spec: string): string | null {
  if (spec === '@malaria/contract') return join(ROOT, 'packages/contract/src/index.ts');
  // The contract's other public entries (package.json "exports"): the parts that need tfjs-core.
  if (spec === '@malaria/contract/preprocess') return join(ROOT, 'packages/contract/src/preprocess.ts');
  if (spec === '@malaria/contract/model-views') return join(ROOT, 'packages/contract/src/model-views.ts');
  if (!spec.startsWith('.')) return null;
  const bare = spec.replace(/\?.*$/, '');
  const abs = resolve(dirname(from), bare);
  return abs.endsWith('.js') ? abs.replace(/\.js$/, '.ts') : abs;
}

export function importEdges(files: readonly string[]): {
  edges: ImportEdge[];
  external: { from: string; spec: string }[];
} {
  const edges: ImportEdge[] = [];
  const external: { from: string; spec: string }[] = [];
  for (const from of files) {
    const text = readFileSync(from, 'utf8').replace(/^\s*(\/\/.*|\/?\*.*)$/gm, '');
    for (const m of text.matchAll(SPEC)) {
      const lead = m[1] as string;
      const spec = m[3] as string;
      const to = resolveSpec(from, spec);
      if (to) edges.push({ from, to, spec, typeOnly: /^(import|export)\s+type\b/.test(lead) });
      else if (!lead.startsWith('new URL')) external.push({ from, spec });
    }
  }
  return { edges, external };
}

/** Strongly connected components with more than one module (Tarjan), i.e. the import cycles. */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    const list = next.get(e.from) ?? [];
    list.push(e.to);
    next.set(e.from, list);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) found.push(comp.map((f) => relative(ROOT, f)).sort());
    }
  };
  for (const v of next.keys()) if (!idx.has(v)) visit(v);
  return found;
}
