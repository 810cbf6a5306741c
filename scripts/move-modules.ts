/**
 * Moves TypeScript modules and rewrites every relative import that points at them (and the moved
 * files' own relative imports), so a re-layout of src/ is one reviewed mapping instead of hundreds
 * of hand edits. Imports of files that land in packages/contract/src from outside that package
 * become the package name. Usage: `tsx scripts/move-modules.ts moves.txt` where each line is
 * `old/path.ts new/path.ts` (a `.test.ts` beside a moved file moves with it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CONTRACT_DIR = join(ROOT, 'packages/contract/src');
const CONTRACT_NAME = '@malaria/contract';

function gitFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => /\.(ts|mts|mjs|js)$/.test(f) && !f.includes('node_modules/') && existsSync(join(ROOT, f)));
}

function readMoves(file: string): Map<string, string> {
  const moves = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [from, to] = t.split(/\s+/);
    if (!from || !to) throw new Error(`bad line: ${line}`);
    moves.set(join(ROOT, from), join(ROOT, to));
    const testFrom = join(ROOT, from.replace(/\.ts$/, '.test.ts'));
    if (existsSync(testFrom)) moves.set(testFrom, join(ROOT, to.replace(/\.ts$/, '.test.ts')));
  }
  return moves;
}

/** The file a relative specifier points at, or null (directories, assets that are not modules). */
function targetOf(fromDir: string, spec: string): { path: string; ext: string; query: string } | null {
  const q = spec.indexOf('?');
  const query = q >= 0 ? spec.slice(q) : '';
  const bare = q >= 0 ? spec.slice(0, q) : spec;
  const abs = resolve(fromDir, bare);
  for (const [candidate, ext] of [
    [abs.replace(/\.js$/, '.ts'), bare.endsWith('.js') ? '.js' : ''],
    [abs, ''],
    [`${abs}.ts`, ''],
  ] as const) {
    if (existsSync(candidate)) return { path: candidate, ext, query };
  }
  return null;
}

function specFor(fromFile: string, target: string, ext: string, query: string): string {
  if (target.startsWith(CONTRACT_DIR) && !fromFile.startsWith(join(ROOT, 'packages/contract'))) return CONTRACT_NAME;
  let rel = relative(dirname(fromFile), target);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  if (ext === '.js') rel = rel.replace(/\.ts$/, '.js');
  return rel + query;
}

const SPEC =
  /(from\s+|import\s*\(\s*|import\s+|new URL\(\s*|vi\.mock\(\s*|export\s+\*\s+from\s+)(['"])(\.{1,2}\/[^'"]+)\2/g;

function main(): void {
  const movesFile = process.argv[2];
  if (!movesFile) throw new Error('usage: tsx scripts/move-modules.ts moves.txt');
  const moves = readMoves(movesFile);
  const files = gitFiles().map((f) => join(ROOT, f));
  const rewritten = new Map<string, string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const newFile = moves.get(file) ?? file;
    const next = source.replace(SPEC, (whole, lead: string, quote: string, spec: string) => {
      const t = targetOf(dirname(file), spec);
      if (!t) return whole;
      const newTarget = moves.get(t.path) ?? t.path;
      if (newTarget === t.path && newFile === file) return whole;
      return `${lead}${quote}${specFor(newFile, newTarget, t.ext, t.query)}${quote}`;
    });
    if (next !== source) rewritten.set(file, next);
  }
  for (const [file, text] of rewritten) writeFileSync(file, text);
  for (const [from, to] of moves) {
    execFileSync('mkdir', ['-p', dirname(to)]);
    execFileSync('git', ['mv', relative(ROOT, from), relative(ROOT, to)], { cwd: ROOT });
  }
  // Markdown and config mentions of the old paths.
  const textFiles = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.md', '*.json', '*.mjs', '*.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && !f.includes('node_modules/') && existsSync(join(ROOT, f)));
  for (const f of textFiles) {
    const p = join(ROOT, f);
    let text = readFileSync(p, 'utf8');
    const before = text;
    for (const [from, to] of moves) text = text.split(relative(ROOT, from)).join(relative(ROOT, to));
    if (text !== before) writeFileSync(p, text);
  }
  console.log(`moved ${moves.size} files, rewrote imports in ${rewritten.size}`);
}

main();
