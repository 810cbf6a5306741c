/**
 * What the bench scripts share: their `--name value` option reader and the upload of cell files
 * into a page (as `window.__benchFiles`, real `File`s the page can hand to the app's inputs).
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';

/** The value after `--name` on the command line, or `def`. */
export function cliArg(name: string, def: string, argv: readonly string[] = process.argv.slice(2)): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? def) : def;
}

/**
 * Puts `files` into the page as `window.__benchFiles` (100 per round trip: base64 through
 * `page.evaluate`). `nameOf(path, index)` names each File (default: the file's base name).
 */
export async function loadFilesIntoPage(
  page: Page,
  files: readonly string[],
  nameOf: (path: string, index: number) => string = (f) => f.split('/').pop()!,
): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __benchFiles: File[] }).__benchFiles = [];
  });
  for (let i = 0; i < files.length; i += 100) {
    const part = await Promise.all(
      files.slice(i, i + 100).map(async (f, k) => ({
        name: nameOf(f, i + k),
        b64: (await readFile(f)).toString('base64'),
      })),
    );
    await page.evaluate((list) => {
      const w = window as unknown as { __benchFiles: File[] };
      for (const f of list)
        w.__benchFiles.push(
          new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'image/webp' }),
        );
    }, part);
  }
}
