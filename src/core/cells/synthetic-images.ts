/**
 * Generated images that are NOT single red cells, for the plausibility gate's tests and its
 * measurement (scripts/eval-cell-gate.ts, src/core/cells/cell-plausibility.test.ts, e2e). Pure
 * (RGBA in ImageData layout); not used by the app itself.
 */
import { mulberry32 } from '@malaria/contract';

export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export function solidImage(width: number, height: number, rgb: readonly [number, number, number]): Rgba {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[4 * i] = rgb[0];
    data[4 * i + 1] = rgb[1];
    data[4 * i + 2] = rgb[2];
    data[4 * i + 3] = 255;
  }
  return { width, height, data };
}

/** A grey "photo": mid grey with a little sensor noise and a soft vignette. */
export function greyPhoto(width: number, height: number, seed = 1): Rgba {
  const rnd = mulberry32(seed);
  const img = solidImage(width, height, [128, 128, 128]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x / width - 0.5, dy = y / height - 0.5;
      const v = 140 - 60 * (dx * dx + dy * dy) + (rnd() - 0.5) * 12;
      const o = 4 * (y * width + x);
      img.data[o] = v; img.data[o + 1] = v; img.data[o + 2] = v;
    }
  }
  return img;
}

/**
 * A "photo of text": dark glyph strokes (pseudo letters of 5 × 7 cells) in lines on off-white
 * paper, with a little noise. No font needed.
 */
export function textPhoto(width: number, height: number, seed = 2): Rgba {
  const rnd = mulberry32(seed);
  const img = solidImage(width, height, [236, 234, 228]);
  const cell = Math.max(1, Math.floor(Math.min(width, height) / 40));
  const glyphW = 5 * cell, glyphH = 7 * cell, gap = cell * 2;
  for (let top = gap; top + glyphH < height; top += glyphH + 2 * gap) {
    for (let left = gap; left + glyphW < width; left += glyphW + gap) {
      if (rnd() < 0.15) continue; // a space
      // A glyph: a few random strokes of the 5 × 7 grid.
      const strokes = 2 + Math.floor(rnd() * 3);
      for (let s = 0; s < strokes; s++) {
        const vertical = rnd() < 0.5;
        const pos = Math.floor(rnd() * (vertical ? 5 : 7));
        for (let t = 0; t < (vertical ? 7 : 5); t++) {
          const gx = vertical ? pos : t, gy = vertical ? t : pos;
          for (let yy = 0; yy < cell; yy++) {
            for (let xx = 0; xx < cell; xx++) {
              const o = 4 * ((top + gy * cell + yy) * width + left + gx * cell + xx);
              img.data[o] = 20; img.data[o + 1] = 20; img.data[o + 2] = 25;
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < width * height; i++) {
    const n = (rnd() - 0.5) * 10;
    for (let c = 0; c < 3; c++) img.data[4 * i + c] = (img.data[4 * i + c] ?? 0) + n;
  }
  return img;
}

/**
 * A "natural photo": smooth colourful gradients (sums of sines with random phases: sky, foliage,
 * shadows) plus fine noise.
 */
export function naturalPhoto(width: number, height: number, seed = 3): Rgba {
  const rnd = mulberry32(seed);
  const waves = Array.from({ length: 9 }, () => ({ fx: (rnd() * 6 + 0.5) / width, fy: (rnd() * 6 + 0.5) / height, ph: rnd() * 6.283, c: Math.floor(rnd() * 3), a: 30 + rnd() * 50 }));
  const base = [60 + rnd() * 120, 60 + rnd() * 120, 60 + rnd() * 120];
  const img = solidImage(width, height, [0, 0, 0]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = [base[0]!, base[1]!, base[2]!];
      for (const w of waves) v[w.c] = v[w.c]! + w.a * Math.sin(6.283 * (w.fx * x + w.fy * y) + w.ph);
      const o = 4 * (y * width + x);
      const n = (rnd() - 0.5) * 24;
      img.data[o] = v[0]! + n; img.data[o + 1] = v[1]! + n; img.data[o + 2] = v[2]! + n;
    }
  }
  return img;
}

/** Colour noise: every pixel random. */
export function noiseImage(width: number, height: number, seed = 4): Rgba {
  const rnd = mulberry32(seed);
  const img = solidImage(width, height, [0, 0, 0]);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) img.data[4 * i + c] = rnd() * 256;
  return img;
}

/**
 * A cell-like image: a pink ellipse (Giemsa red cell colours, slightly darker rim, optional purple
 * parasite dot) masked on black, like an NIH crop. For positive tests of the gate.
 */
export function syntheticCell(width: number, height: number, opts: { parasite?: boolean; rgb?: readonly [number, number, number] } = {}): Rgba {
  const img = solidImage(width, height, [0, 0, 0]);
  const [r0, g0, b0] = opts.rgb ?? [212, 158, 154];
  const cx = width / 2, cy = height / 2, rx = width * 0.46, ry = height * 0.46;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = ((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2;
      if (d > 1) continue;
      const rim = d > 0.8 ? 12 : 0;
      const o = 4 * (y * width + x);
      img.data[o] = r0 - rim; img.data[o + 1] = g0 - rim; img.data[o + 2] = b0 - rim;
      if (opts.parasite && (x - cx * 1.2) ** 2 + (y - cy * 0.9) ** 2 < (width * 0.06) ** 2) {
        img.data[o] = 150; img.data[o + 1] = 60; img.data[o + 2] = 120;
      }
    }
  }
  return img;
}

/**
 * A small whole-field photo: the eyepiece's bright disc on black, pale plasma, many pink red cells
 * (stained by looksLikeField's test) about `cellPx` across.
 */
export function syntheticField(width: number, height: number, cellPx = 12, seed = 5): Rgba {
  const rnd = mulberry32(seed);
  const img = solidImage(width, height, [0, 0, 0]);
  const cx = width / 2, cy = height / 2, R = 0.48 * Math.min(width, height);
  const r = cellPx / 2;
  const centres: [number, number][] = [];
  for (let y = r; y < height; y += cellPx * 1.3) for (let x = r; x < width; x += cellPx * 1.3) centres.push([x + (rnd() - 0.5) * r, y + (rnd() - 0.5) * r]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > R * R) continue;
      const o = 4 * (y * width + x);
      img.data[o] = 224; img.data[o + 1] = 214; img.data[o + 2] = 212;
    }
  }
  for (const [x0, y0] of centres) {
    for (let y = Math.max(0, Math.floor(y0 - r)); y < Math.min(height, y0 + r); y++) {
      for (let x = Math.max(0, Math.floor(x0 - r)); x < Math.min(width, x0 + r); x++) {
        const d = (x - x0) ** 2 + (y - y0) ** 2;
        if (d > r * r || (x - cx) ** 2 + (y - cy) ** 2 > R * R) continue;
        const o = 4 * (y * width + x);
        const pale = d < (r * 0.4) ** 2 ? 18 : 0;
        img.data[o] = 200 + pale; img.data[o + 1] = 122 + pale; img.data[o + 2] = 138 + pale;
      }
    }
  }
  return img;
}
