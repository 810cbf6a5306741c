/**
 * The docs cannot go stale on where things live: every backticked repository path in README.md,
 * docs/*.md and training/README.md (`src/…`, `scripts/…`, `packages/…`, `training/…`, `e2e/…`,
 * `build/…`) must exist, and so must every file a "Files" list names under a folder
 * ("- `src/core/slide/`: `review.ts`, …").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const DOCS = [
  'README.md',
  'training/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
/** Outputs written by runs, not kept in the repository. */
const GENERATED = ['training/runs/', 'training/cache/', 'training/reports/'];
const PATH = /`((?:src|scripts|packages|training|e2e|build)\/[^`\s]*)`/g;
/** "- `some/folder/`: `a.ts`, `b.ts` …" (a list item naming files in one folder). */
const FOLDER_ITEM = /^- `((?:src|scripts|packages|training|e2e|build)\/[^`\s]*\/)`:(.*)$/;
const BARE_FILE = /`([\w.-]+\.(?:ts|mjs|json))`/g;

/** A path as the docs write it → whether it exists (from the root or the doc's folder; `x` may be `x.ts`). */
function exists(doc: string, written: string): boolean {
  const path = written.replace(/[:#].*$/, '').replace(/[.,;]$/, '');
  const bases = [ROOT, join(ROOT, dirname(doc))];
  return bases.some((base) => ['', '.ts', '.test.ts'].some((ext) => existsSync(join(base, path + ext))));
}

function skipped(written: string): boolean {
  // Globs, placeholders (`…/NAME/`, `<run>`) and run outputs name no one file.
  return /[*{<…]|\/[A-Z]+(\/|$)/.test(written) || GENERATED.some((g) => written.startsWith(g));
}

function missingPaths(doc: string): string[] {
  const missing: string[] = [];
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  let folder: string | null = null;
  lines.forEach((line, i) => {
    for (const m of line.matchAll(PATH)) {
      const written = m[1]!;
      if (!skipped(written) && !exists(doc, written)) missing.push(`${doc}:${i + 1}: ${written}`);
    }
    const item = FOLDER_ITEM.exec(line);
    if (item) folder = item[1]!;
    else if (!line.startsWith('  ')) folder = null;
    if (folder) {
      const rest = item ? item[2]! : line;
      for (const m of rest.matchAll(BARE_FILE)) {
        if (!existsSync(join(ROOT, folder, m[1]!))) missing.push(`${doc}:${i + 1}: ${folder}${m[1]!}`);
      }
    }
  });
  return missing;
}

describe('paths named in the docs', () => {
  it('finds docs to check', () => {
    expect(DOCS).toContain('docs/architecture.md');
  });
  it.each(DOCS)('%s names only paths that exist', (doc) => {
    expect(missingPaths(doc)).toEqual([]);
  });
});
