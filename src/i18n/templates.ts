/**
 * Builds @lit/localize runtime templates from a readable translation table (issue 14).
 *
 * Source strings in the app are `msg('Text')` or `msg(str\`Text ${a} and ${b}\`)`, with no explicit
 * id: @lit/localize identifies each by a hash of its English text (generateMsgId). The tables in
 * src/locales/ are keyed by that English text, with `{0}`, `{1}`… standing for the expressions in
 * source order; a translation may move them. `localeTemplates` hashes each key exactly as the
 * runtime does, so a table entry and a msg() call meet on the same id.
 * src/locales/locales.test.ts checks the tables against every msg() in src/.
 */
import { type str } from '@lit/localize';
import { generateMsgId } from '@lit/localize/internal/id-generation.js';

export type TranslationTable = Readonly<Record<string, string>>;
type Template = string | ReturnType<typeof str>;

const PLACEHOLDER = /\{(\d+)\}/g;

/** The template strings of an English key: "A {0} b" → ["A ", " b"]. */
export function keyStrings(key: string): string[] {
  return key.split(PLACEHOLDER).filter((_, i) => i % 2 === 0);
}

/** The placeholder numbers in a text, in order of appearance. */
export function placeholders(text: string): number[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
}

export function msgIdOf(key: string): string {
  return generateMsgId(keyStrings(key), false);
}

export function localeTemplates(table: TranslationTable): Record<string, Template> {
  const out: Record<string, Template> = {};
  for (const [key, target] of Object.entries(table)) {
    const id = msgIdOf(key);
    if (!placeholders(key).length) {
      out[id] = target;
      continue;
    }
    const strings = target.split(PLACEHOLDER).filter((_, i) => i % 2 === 0);
    const values = placeholders(target);
    out[id] = {
      strTag: true,
      strings: Object.assign([...strings], { raw: [...strings] }) as unknown as TemplateStringsArray,
      values,
    } as ReturnType<typeof str>;
  }
  return out;
}
