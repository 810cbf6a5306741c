#!/usr/bin/env node
/**
 * Generates the PWA icons in public/icons/ from the SVG drawn below (a red blood cell with a
 * ring-stage parasite under a magnifier ring). Run: `node scripts/make-icons.mjs`. The PNGs are
 * committed; rerun only when the artwork changes.
 *
 * "any" icons: rounded tile with transparent corners. "maskable" icons: full-bleed background with
 * the artwork inside the central 80 % safe zone, so any launcher mask shape keeps it intact.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const BG = '#0f4c5c';
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');

/** The artwork on a 512-unit canvas; `scale` shrinks it about the centre (for the maskable safe zone). */
function artwork(scale) {
  const t = `translate(256 256) scale(${scale}) translate(-256 -256)`;
  return `<g transform="${t}">
    <circle cx="256" cy="256" r="170" fill="#e05a5a"/>
    <circle cx="256" cy="256" r="170" fill="none" stroke="#b83a3a" stroke-width="14"/>
    <circle cx="256" cy="256" r="82" fill="#f4a3a3"/>
    <circle cx="300" cy="214" r="34" fill="none" stroke="#4b2a7b" stroke-width="14"/>
    <circle cx="324" cy="196" r="13" fill="#4b2a7b"/>
  </g>`;
}

function svg({ maskable }) {
  const background = maskable
    ? `<rect width="512" height="512" fill="${BG}"/>`
    : `<rect x="16" y="16" width="480" height="480" rx="96" fill="${BG}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  ${background}
  ${artwork(maskable ? 0.78 : 1)}
</svg>`;
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'icon.svg'), svg({ maskable: false }));
for (const maskable of [false, true]) {
  for (const size of [192, 512]) {
    const name = `icon-${maskable ? 'maskable-' : ''}${size}.png`;
    await sharp(Buffer.from(svg({ maskable })))
      .resize(size, size)
      .png({ compressionLevel: 9 })
      .toFile(join(outDir, name));
    console.log(`wrote public/icons/${name}`);
  }
}
