/**
 * Lists every message the app passes to @lit/localize's msg() (issue 14), as the English keys the
 * translation tables use (src/locales/*.ts): `msg('Text')` → "Text", `msg(str\`A ${x} b\`)` →
 * "A {0} b". Parsed with the TypeScript compiler, so it sees exactly what the code contains.
 * A msg() whose argument is not a literal or a str`` template is reported as a problem (it could
 * not be translated by key).
 *
 *   npx tsx scripts/i18n-messages.ts            prints the keys missing from fr/pt (and extra ones)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface FoundMessage {
  key: string;
  file: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'locales' ? [] : sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every msg() key under `srcDir` (default: src/), and the calls that are not translatable by key. */
export function findMessages(srcDir: string): { messages: FoundMessage[]; problems: string[] } {
  const messages: FoundMessage[] = [];
  const problems: string[] = [];
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('msg(')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const where = (n: ts.Node) =>
      `${relative(process.cwd(), file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'msg') {
        const arg = node.arguments[0];
        let key: string | null = null;
        if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) key = arg.text;
        else if (arg && ts.isTaggedTemplateExpression(arg) && ts.isIdentifier(arg.tag) && arg.tag.text === 'str') {
          const t = arg.template;
          if (ts.isNoSubstitutionTemplateLiteral(t)) key = t.text;
          else key = t.head.text + t.templateSpans.map((s, i) => `{${i}}${s.literal.text}`).join('');
        }
        if (key === null) problems.push(`${where(node)}: msg() needs a string literal or a str\`\` template`);
        else
          messages.push({
            key,
            file: relative(process.cwd(), file),
            line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1,
          });
        if (node.arguments.length > 1)
          problems.push(`${where(node)}: msg() options (explicit ids) are not used in this app`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { messages, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { messages, problems } = findMessages('src');
  const keys = [...new Set(messages.map((m) => m.key))];
  const { fr } = await import('../src/locales/fr-table.js');
  const { pt } = await import('../src/locales/pt-table.js');
  for (const [name, table] of [
    ['fr', fr],
    ['pt', pt],
  ] as const) {
    const missing = keys.filter((k) => !(k in table));
    const extra = Object.keys(table).filter((k) => !keys.includes(k));
    console.log(`${name}: ${keys.length} keys, ${missing.length} missing, ${extra.length} unused`);
    for (const k of missing) console.log(`  missing: ${JSON.stringify(k)}`);
    for (const k of extra) console.log(`  unused: ${JSON.stringify(k)}`);
  }
  for (const p of problems) console.log(`problem: ${p}`);
}
