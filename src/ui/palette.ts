/**
 * Outline colours and line styles for cells drawn over smear photos (issue 14). Colour-blind safe:
 * hues from the Okabe–Ito set, darkened until each has ≥ 3:1 contrast against a stained red cell's
 * pink (WCAG non-text contrast), and every look also differs in line pattern and width, so no state
 * is told by hue alone. src/ui/palette.test.ts simulates protanopia and deuteranopia (Machado 2009)
 * and checks the pairs stay apart. Pure data (no Lit), so Node tests can import it.
 */
import { html, svg } from 'lit';
import type { CellLabel } from '@malaria/contract';

export interface OutlineLook {
  /** CSS colour (#rrggbb). */
  stroke: string;
  /** Line width in the drawing's unit (≈ 1 image px per 500 px of the longer side). */
  width: number;
  /** Dash pattern in the same unit; empty = solid. */
  dash: readonly number[];
}

/** A typical Giemsa-stained red cell (the background every outline is read against). */
export const CELL_PINK = '#E8B4C0';

/** Field view: the model's label for each detected cell. */
export const FIELD_LOOKS: Readonly<Record<CellLabel, OutlineLook>> = {
  Parasitized: { stroke: '#A63D00', width: 3, dash: [] },
  Inconclusive: { stroke: '#000000', width: 2.5, dash: [6, 3] },
  Uninfected: { stroke: '#00588A', width: 1.5, dash: [1.5, 2.5] },
  WhiteBloodCell: { stroke: '#B0006B', width: 2, dash: [8, 2, 2, 2] },
  // Not a red cell (platelet, debris, fragment): Okabe–Ito bluish green, darkened; short dashes.
  Artefact: { stroke: '#00664A', width: 2, dash: [2, 4] },
};
export const FIELD_LABELS: readonly CellLabel[] = [
  'Parasitized',
  'Inconclusive',
  'Uninfected',
  'WhiteBloodCell',
  'Artefact',
];

/** Slide view and report: the model's flag, then the reviewer's decision. */
export type SessionLookKey =
  'model-parasitized' | 'model-uncertain' | 'confirmed' | 'rejected' | 'unsure' | 'white-cell' | 'artefact';
export const SESSION_LOOKS: Readonly<Record<SessionLookKey, OutlineLook>> = {
  'model-parasitized': { stroke: '#B0006B', width: 1.5, dash: [] },
  'model-uncertain': { stroke: '#000000', width: 1.5, dash: [5, 3] },
  confirmed: { stroke: '#A63D00', width: 3, dash: [] },
  rejected: { stroke: '#00588A', width: 3, dash: [1, 3] },
  unsure: { stroke: '#000000', width: 3, dash: [8, 4] },
  'white-cell': { stroke: '#4D4D4D', width: 1, dash: [2, 2] },
  artefact: { stroke: '#00664A', width: 1, dash: [1, 3] },
};
export const SESSION_LOOK_KEYS: readonly SessionLookKey[] = [
  'model-parasitized',
  'model-uncertain',
  'confirmed',
  'rejected',
  'unsure',
  'white-cell',
  'artefact',
];

/** A legend swatch: a small pink cell with the outline drawn as on the photo (a dot marks "parasite"). */
export function swatchSvg(look: OutlineLook, dot = false) {
  const scale = 1.4;
  return html`<svg width="40" height="22" viewBox="0 0 40 22" aria-hidden="true" focusable="false">
    <rect
      x="3"
      y="3"
      width="34"
      height="16"
      rx="8"
      fill=${CELL_PINK}
      stroke=${look.stroke}
      stroke-width=${Math.max(1.5, look.width * scale * 0.8)}
      stroke-dasharray=${look.dash.length ? look.dash.map((d) => d * scale).join(' ') : 'none'}
    ></rect>
    ${dot ? svg`<circle cx="35" cy="5" r="4" fill=${look.stroke} stroke="#000" stroke-width="1"></circle>` : ''}
  </svg>`;
}
