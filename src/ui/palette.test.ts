import { describe, expect, it } from 'vitest';
import { CELL_PINK, FIELD_LOOKS, SESSION_LOOKS, type OutlineLook } from './palette.js';

// sRGB ↔ linear, relative luminance and WCAG contrast.
const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255) as [number, number, number];
const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = ([r, g, b]: readonly number[]) => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

// Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
const NORMAL = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const PROTANOPIA = [
  [0.152286, 1.052583, -0.204868],
  [0.114503, 0.786281, 0.099216],
  [-0.003882, -0.048116, 1.051998],
];
const DEUTERANOPIA = [
  [0.367322, 0.860646, -0.227968],
  [0.280085, 0.672501, 0.047413],
  [-0.01182, 0.04294, 0.968881],
];
const simulate = (h: string, m: number[][]) => {
  const v = hex(h).map(toLinear);
  return m.map((row) =>
    Math.min(
      1,
      Math.max(
        0,
        row.reduce((s, k, i) => s + k * v[i]!, 0),
      ),
    ),
  );
};
// CIELAB (D65) from linear RGB, and ΔE*76.
const lab = ([r, g, b]: readonly number[]) => {
  const x = (0.4124 * r! + 0.3576 * g! + 0.1805 * b!) / 0.95047;
  const y = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  const z = (0.0193 * r! + 0.1192 * g! + 0.9505 * b!) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
};
const deltaE = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

const VISIONS = { normal: NORMAL, protanopia: PROTANOPIA, deuteranopia: DEUTERANOPIA };
const pink = luminance(hex(CELL_PINK).map(toLinear));
const pattern = (l: OutlineLook) => `${l.width}|${l.dash.join(',')}`;

describe('outline palette (colour-blind safe, shape as well as colour)', () => {
  for (const [name, looks] of Object.entries({ field: FIELD_LOOKS, session: SESSION_LOOKS }) as [
    string,
    Record<string, OutlineLook>,
  ][]) {
    it(`${name}: every outline has ≥ 3:1 contrast against a pink cell`, () => {
      for (const [k, l] of Object.entries(looks)) {
        const c = contrast(luminance(hex(l.stroke).map(toLinear)), pink);
        expect(c, `${k} ${l.stroke}: ${c.toFixed(2)}:1`).toBeGreaterThanOrEqual(3);
      }
    });
    it(`${name}: every look has its own line pattern or width (not colour alone)`, () => {
      const patterns = Object.values(looks).map(pattern);
      expect(new Set(patterns).size).toBe(patterns.length);
    });
  }

  it('field: infected vs not infected stay far apart in normal, protanopic and deuteranopic vision', () => {
    for (const [vision, m] of Object.entries(VISIONS)) {
      const d = deltaE(
        lab(simulate(FIELD_LOOKS.Parasitized.stroke, m)),
        lab(simulate(FIELD_LOOKS.Uninfected.stroke, m)),
      );
      expect(d, `${vision}: ΔE ${d.toFixed(1)}`).toBeGreaterThan(40);
    }
  });

  it('field and session: the looks a reviewer must tell apart differ in simulated colour-blind vision (ΔE > 20)', () => {
    const pairs: [OutlineLook, OutlineLook][] = [
      [FIELD_LOOKS.Parasitized, FIELD_LOOKS.Uninfected],
      [FIELD_LOOKS.Parasitized, FIELD_LOOKS.Inconclusive],
      [FIELD_LOOKS.Inconclusive, FIELD_LOOKS.Uninfected],
      // Not a red cell vs the red-cell looks (issue 17). Artefact vs white blood cell (neither is
      // counted) is told by line pattern alone for deuteranopes (ΔE 10): no fifth hue on pink is
      // ≥ 20 from all four others in every vision (#005A3C: 14.9, #00704A: 13.1).
      [FIELD_LOOKS.Artefact, FIELD_LOOKS.Parasitized],
      [FIELD_LOOKS.Artefact, FIELD_LOOKS.Uninfected],
      [FIELD_LOOKS.Artefact, FIELD_LOOKS.Inconclusive],
      [SESSION_LOOKS['model-parasitized'], SESSION_LOOKS['model-uncertain']],
      [SESSION_LOOKS.confirmed, SESSION_LOOKS.rejected],
      [SESSION_LOOKS.confirmed, SESSION_LOOKS.unsure],
      [SESSION_LOOKS.rejected, SESSION_LOOKS.unsure],
    ];
    for (const [vision, m] of Object.entries(VISIONS)) {
      for (const [a, b] of pairs) {
        const d = deltaE(lab(simulate(a.stroke, m)), lab(simulate(b.stroke, m)));
        expect(d, `${vision}: ${a.stroke} vs ${b.stroke} ΔE ${d.toFixed(1)}`).toBeGreaterThan(20);
      }
    }
  });

  it('the old red/green outlines fail the same check (the test can tell)', () => {
    const d = deltaE(lab(simulate('#d7191c', DEUTERANOPIA)), lab(simulate('#1a9641', DEUTERANOPIA)));
    const c = contrast(luminance(hex('#1a9641').map(toLinear)), pink);
    expect(d < 40 || c < 3).toBe(true);
  });
});
