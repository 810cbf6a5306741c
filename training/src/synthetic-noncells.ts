/**
 * Synthetic "not a red cell" inputs at the model's input size (float RGB in [0, 1], black
 * background like the app's masked crops), for the Artefact study (`npm run artefact-study`):
 * what reaches the classifier when the detector or the user hands it something that is not a red cell.
 * Kinds:
 *  - blank: black / white / grey image; uniform: one random colour (also what a 1-pixel image becomes
 *    after the stretch resize);
 *  - noise: per-pixel noise; pattern: stripes / checkerboard / smooth colour waves (text-like and
 *    natural-photo-like texture without a cell);
 *  - text: dark glyph-like strokes on a light ground;
 *  - platelet: 1–4 small purple blobs (radius 6–18 % of the side) on black — platelets, clumps;
 *  - stain: irregular magenta/purple precipitate blob filling part of the crop;
 *  - wbcFragment: a large dark-purple lobed nucleus mass, possibly cut by the crop edge;
 *  - blur: a soft out-of-focus blob (Gaussian profile) in cell-ish or purple colour;
 *  - fragment: part of a real red cell (a half-plane cut leaving 15–45 % of it) — needs a source cell.
 */
export const NONCELL_KINDS = [
  'blank',
  'uniform',
  'noise',
  'pattern',
  'text',
  'platelet',
  'stain',
  'wbcFragment',
  'blur',
  'fragment',
] as const;
export type NonCellKind = (typeof NONCELL_KINDS)[number];

const PURPLE: [number, number, number][] = [
  [0.45, 0.2, 0.55],
  [0.55, 0.25, 0.6],
  [0.35, 0.15, 0.45],
  [0.6, 0.35, 0.7],
  [0.7, 0.3, 0.65],
];

function u(rand: () => number, a: number, b: number): number {
  return a + (b - a) * rand();
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

/** Draws a filled, softly-edged ellipse with colour `c` (alpha-blended) into `img`. */
function ellipse(
  img: Float32Array,
  s: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  angle: number,
  c: readonly number[],
  soft = 1,
): void {
  const ca = Math.cos(angle),
    sa = Math.sin(angle);
  for (let y = 0; y < s; y++)
    for (let x = 0; x < s; x++) {
      const dx = x + 0.5 - cx,
        dy = y + 0.5 - cy;
      const ex = (dx * ca + dy * sa) / rx,
        ey = (-dx * sa + dy * ca) / ry;
      const r = Math.sqrt(ex * ex + ey * ey);
      const edge = Math.max(0.5, soft) / Math.min(rx, ry);
      const a = Math.min(1, Math.max(0, (1 - r) / edge));
      if (a <= 0) continue;
      const o = (y * s + x) * 3;
      for (let k = 0; k < 3; k++) img[o + k] = (1 - a) * (img[o + k] as number) + a * (c[k] as number);
    }
}

function jitter(rand: () => number, c: readonly number[], amount = 0.08): number[] {
  return c.map((v) => Math.min(1, Math.max(0, v + u(rand, -amount, amount))));
}

/**
 * One synthetic non-cell. `sourceCell` (a real preprocessed cell, s×s×3) is needed for `fragment`;
 * without it a fragment of a synthetic pink disc is drawn.
 */
export function syntheticNonCell(
  kind: NonCellKind,
  s: number,
  rand: () => number,
  sourceCell?: Float32Array,
): Float32Array {
  const img = new Float32Array(s * s * 3);
  switch (kind) {
    case 'blank': {
      const v = pick(rand, [0, 0, 1, u(rand, 0.2, 0.9)]);
      img.fill(v);
      break;
    }
    case 'uniform': {
      const c = [rand(), rand(), rand()];
      for (let i = 0; i < s * s; i++) img.set(c, i * 3);
      break;
    }
    case 'noise': {
      const base = [rand(), rand(), rand()],
        amp = u(rand, 0.1, 0.5);
      for (let i = 0; i < img.length; i++)
        img[i] = Math.min(1, Math.max(0, (base[i % 3] as number) + amp * (rand() - 0.5) * 2));
      break;
    }
    case 'pattern': {
      const a = [rand(), rand(), rand()],
        b = [rand(), rand(), rand()];
      const f = u(rand, 2, 12),
        g = u(rand, 2, 12),
        mode = Math.floor(rand() * 3),
        ph = rand() * 6.28;
      for (let y = 0; y < s; y++)
        for (let x = 0; x < s; x++) {
          const X = x / s,
            Y = y / s;
          let t: number;
          if (mode === 0)
            t = Math.sin(2 * Math.PI * f * X + ph) > 0 ? 1 : 0; // stripes
          else if (mode === 1)
            t = (Math.floor(f * X) + Math.floor(f * Y)) % 2; // checkerboard
          else
            t =
              0.5 +
              0.25 * Math.sin((2 * Math.PI * f * X) / 3 + ph) +
              0.25 * Math.sin((2 * Math.PI * g * Y) / 3 + 2 * ph); // smooth waves
          for (let k = 0; k < 3; k++) img[(y * s + x) * 3 + k] = t * (a[k] as number) + (1 - t) * (b[k] as number);
        }
      break;
    }
    case 'text': {
      const paper = u(rand, 0.75, 1),
        ink = u(rand, 0, 0.3);
      img.fill(paper);
      const lines = 2 + Math.floor(rand() * 4),
        lh = s / (lines + 1);
      for (let l = 0; l < lines; l++) {
        let x = u(rand, 1, 6);
        const y0 = (l + 0.6) * lh;
        while (x < s - 4) {
          const w = u(rand, 2, 6),
            h = lh * u(rand, 0.4, 0.7);
          // a glyph: a few strokes inside its box
          for (let st = 0; st < 3; st++) {
            const vertical = rand() < 0.6;
            const sx = Math.floor(x + rand() * w),
              sy = Math.floor(y0 - h + rand() * h);
            const len = Math.floor(vertical ? h * u(rand, 0.5, 1) : w);
            for (let k = 0; k < len; k++) {
              const px = vertical ? sx : sx + k,
                py = vertical ? sy + k : sy;
              if (px >= 0 && px < s && py >= 0 && py < s) img.fill(ink, (py * s + px) * 3, (py * s + px) * 3 + 3);
            }
          }
          x += w + u(rand, 1, 3) + (rand() < 0.2 ? 4 : 0);
        }
      }
      break;
    }
    case 'platelet': {
      const n = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) {
        const r = s * u(rand, 0.06, 0.18);
        ellipse(
          img,
          s,
          u(rand, 0.25, 0.75) * s,
          u(rand, 0.25, 0.75) * s,
          r * u(rand, 0.7, 1.3),
          r * u(rand, 0.7, 1.3),
          rand() * Math.PI,
          jitter(rand, pick(rand, PURPLE)),
        );
      }
      break;
    }
    case 'stain': {
      const c = jitter(rand, pick(rand, PURPLE), 0.12);
      const n = 3 + Math.floor(rand() * 6),
        cx = s * u(rand, 0.35, 0.65),
        cy = s * u(rand, 0.35, 0.65);
      for (let i = 0; i < n; i++)
        ellipse(
          img,
          s,
          cx + s * u(rand, -0.2, 0.2),
          cy + s * u(rand, -0.2, 0.2),
          s * u(rand, 0.05, 0.2),
          s * u(rand, 0.05, 0.2),
          rand() * Math.PI,
          jitter(rand, c, 0.05),
        );
      break;
    }
    case 'wbcFragment': {
      const c = jitter(rand, [0.3, 0.12, 0.45], 0.08);
      const cyto = jitter(rand, [0.75, 0.65, 0.85], 0.08);
      ellipse(
        img,
        s,
        s * u(rand, 0.3, 0.7),
        s * u(rand, 0.3, 0.7),
        s * u(rand, 0.45, 0.7),
        s * u(rand, 0.45, 0.7),
        rand() * Math.PI,
        cyto,
      );
      const lobes = 2 + Math.floor(rand() * 3);
      for (let i = 0; i < lobes; i++)
        ellipse(
          img,
          s,
          s * u(rand, 0.25, 0.75),
          s * u(rand, 0.25, 0.75),
          s * u(rand, 0.12, 0.28),
          s * u(rand, 0.12, 0.28),
          rand() * Math.PI,
          jitter(rand, c, 0.04),
        );
      break;
    }
    case 'blur': {
      const c = rand() < 0.5 ? jitter(rand, pick(rand, PURPLE)) : jitter(rand, [0.8, 0.55, 0.6], 0.1);
      ellipse(
        img,
        s,
        s * u(rand, 0.4, 0.6),
        s * u(rand, 0.4, 0.6),
        s * u(rand, 0.15, 0.45),
        s * u(rand, 0.15, 0.45),
        rand() * Math.PI,
        c,
        s * u(rand, 0.15, 0.35),
      );
      break;
    }
    case 'fragment': {
      if (sourceCell) img.set(sourceCell);
      else ellipse(img, s, s / 2, s / 2, s * 0.45, s * 0.45, 0, jitter(rand, [0.85, 0.6, 0.65], 0.08));
      // keep only the pixels on one side of a random line so that 15–45 % of the cell remains
      const ang = rand() * 2 * Math.PI,
        nx = Math.cos(ang),
        ny = Math.sin(ang);
      const off = s * u(rand, 0.1, 0.3);
      for (let y = 0; y < s; y++)
        for (let x = 0; x < s; x++) {
          if ((x - s / 2) * nx + (y - s / 2) * ny < off) img.fill(0, (y * s + x) * 3, (y * s + x) * 3 + 3);
        }
      break;
    }
  }
  return img;
}
