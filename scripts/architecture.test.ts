import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWED, appFiles, cycles, importEdges, layerOf, ROOT } from './import-graph.js';

const files = appFiles();
const { edges, external } = importEdges(files);
const isTest = (f: string): boolean => /\.test\.ts$/.test(f) || /test-kit\.ts$/.test(f);

describe('module graph (docs/architecture.md)', () => {
  it('sees the whole app', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
  });

  it('has no import cycles', () => {
    expect(cycles(edges.filter((e) => !e.typeOnly))).toEqual([]);
    expect(cycles(edges)).toEqual([]);
  });

  it('imports only downward: contract ← core ← services ← pwa / ui ← entry', () => {
    const upward = edges
      .filter((e) => !isTest(e.from))
      .filter((e) => {
        const from = layerOf(e.from);
        const to = layerOf(e.to);
        return from !== null && to !== null && !ALLOWED[from].includes(to);
      })
      .map((e) => `${relative(ROOT, e.from)} → ${relative(ROOT, e.to)}`);
    expect(upward).toEqual([]);
  });

  it('reaches the contract only through its package entries from outside it', () => {
    // The package's public entries: its package.json "exports".
    const exportsField = (
      JSON.parse(readFileSync(join(ROOT, 'packages/contract/package.json'), 'utf8')) as {
        exports: Record<string, string>;
      }
    ).exports;
    const entries = Object.keys(exportsField).map((k) => join('@malaria/contract', k).replace(/\/\.$|\/$/, ''));
    expect(entries).toContain('@malaria/contract/preprocess');
    const deep = edges
      .filter((e) => layerOf(e.to) === 'contract' && layerOf(e.from) !== 'contract' && !entries.includes(e.spec))
      .map((e) => `${relative(ROOT, e.from)}: ${e.spec}`);
    expect(deep).toEqual([]);
  });

  it('keeps Node built-ins and browser-only libraries out of the contract and core', () => {
    const pure = external
      .filter((x) => !isTest(x.from))
      .filter((x) => layerOf(x.from) === 'contract' || layerOf(x.from) === 'core')
      .filter((x) => /^node:|^(fs|path|child_process|os)$|^idb$|^lit|^workbox|^comlink$/.test(x.spec))
      .map((x) => `${relative(ROOT, x.from)}: ${x.spec}`);
    expect(pure).toEqual([]);
  });

  it('lets the contract depend on nothing but tfjs-core', () => {
    const deps = external.filter((x) => layerOf(x.from) === 'contract' && !isTest(x.from)).map((x) => x.spec);
    expect([...new Set(deps)].sort()).toEqual(['@tensorflow/tfjs-core']);
  });

  it('keeps training on the contract: nothing under training/ imports the app by path', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? walk(p) : /\.ts$/.test(n) ? [p] : [];
      });
    const appSrc = join(ROOT, 'src') + '/';
    const offenders = [...walk(join(ROOT, 'training/src')), ...walk(join(ROOT, 'training/test'))].filter((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)].some((m) =>
        resolve(dirname(f), m[1] as string).startsWith(appSrc),
      ),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
