/**
 * Translation completeness (issue 14): every msg() in src/ has a French and a Portuguese
 * translation, with the same values ({0}, {1}…), none left in English (but a short allowlist of
 * words that are the same in both languages), no key that the code no longer uses; and the
 * tables reach @lit/localize's runtime under the ids it computes for the code's own templates.
 */
import { describe, expect, it } from 'vitest';
import { str } from '@lit/localize';
import { runtimeMsg } from '@lit/localize/internal/runtime-msg.js';
import { findMessages } from '../../scripts/i18n-messages.js';
import { localeTemplates, msgIdOf, placeholders } from '../i18n/templates.js';
import { fr } from './fr-table.js';
import { pt } from './pt-table.js';

/** Keys whose translation may equal the English text (same word, or symbols only). */
const SAME_IN: Record<string, readonly string[]> = {
  fr: [
    'Parasite',
    'Parasite (P)',
    'Image',
    'Images',
    'Type',
    'Centre ({0}, {1}) px',
    'Sessions ({0})',
    '{0} image',
    '{0} images',
  ],
  pt: [],
};

/** English words that must not survive in a French or Portuguese text. */
const ENGLISH =
  /\b(the|and|with|of|cells?|slides?|red|white|blood|review(ed)?|loading|delete|print|records?|field|unsure|flagged|likely|parasitized|inconclusive|uninfected|please|again|this|your)\b/i;

const { messages, problems } = findMessages('src');
const keys = [...new Set(messages.map((m) => m.key))];

describe('translations', () => {
  it('finds the app’s messages, all translatable by key', () => {
    expect(problems).toEqual([]);
    expect(keys.length).toBeGreaterThan(250);
  });

  for (const [name, table] of [
    ['fr', fr],
    ['pt', pt],
  ] as const) {
    describe(name, () => {
      it('has every key the code uses, and no other', () => {
        const missing = keys.filter((k) => !(k in table));
        const unused = Object.keys(table).filter((k) => !keys.includes(k));
        expect(missing, `missing in ${name}`).toEqual([]);
        expect(unused, `unused in ${name}`).toEqual([]);
      });

      it('keeps every value ({0}, {1}…) of the English text', () => {
        for (const [key, text] of Object.entries(table)) {
          expect([...placeholders(text)].sort(), `${name}: ${key}`).toEqual([...placeholders(key)].sort());
        }
      });

      it('leaves no English behind', () => {
        for (const [key, text] of Object.entries(table)) {
          expect(text.trim(), `${name}: empty translation of ${key}`).not.toBe('');
          if (!SAME_IN[name]!.includes(key)) expect(text, `${name}: untranslated ${key}`).not.toBe(key);
          const words = text.replace(/\{\d+\}/g, '');
          expect(ENGLISH.test(words) ? words : '', `${name}: English words in ${JSON.stringify(text)}`).toBe('');
        }
      });

      it('uses the medical terms agreed for the language', () => {
        const all = Object.values(table).join('\n');
        if (name === 'fr') {
          expect(table['Parasitaemia']).toBe('Parasitémie');
          expect(table['Red cells']).toBe('Hématies');
          expect(all).not.toMatch(/globules rouges/i);
        } else {
          expect(table['Parasitaemia']).toBe('Parasitemia');
          expect(table['Red cells']).toBe('Hemácias');
          expect(all).not.toMatch(/glóbulos vermelhos/i);
        }
      });

      it('reaches the runtime under the ids @lit/localize computes, values in place', () => {
        const templates = localeTemplates(table);
        const [i, n, f] = [3, 12, 'a.jpg'];
        const source = str`Cell ${i} of ${n} · image ${2} (${f})`;
        const out = runtimeMsg(templates, source, undefined);
        expect(out).toBe(
          table['Cell {0} of {1} · image {2} ({3})']!.replace('{0}', '3')
            .replace('{1}', '12')
            .replace('{2}', '2')
            .replace('{3}', 'a.jpg'),
        );
        expect(runtimeMsg(templates, 'New slide', undefined)).toBe(table['New slide']);
        expect(msgIdOf('New slide')).toMatch(/^s[0-9a-f]{16}$/);
      });
    });
  }
});
