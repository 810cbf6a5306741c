/**
 * Keyboard navigation over the cells of a field map (src/ui/session-field-map.ts). A field holds
 * hundreds of cells, so the map is one Tab stop and the arrow keys move a focus ring from cell to
 * cell (a roving focus): this module picks the cell each key moves to, from the cells' centres only,
 * and says what activating a cell does. Pure, so the choice is unit-tested without a browser.
 */
import { isRedCellLabel, type CellLabel } from '@malaria/contract';

export type MapDirection = 'left' | 'right' | 'up' | 'down';

/** A cell centre in image pixels (y grows downwards, as in the upright image grid). */
export interface MapPoint {
  readonly x: number;
  readonly y: number;
}

/** The arrow key's direction, or null for any other key (browsers' `KeyboardEvent.key` names). */
export function directionOfKey(key: string): MapDirection | null {
  switch (key) {
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    default:
      return null;
  }
}

const UNIT: Record<MapDirection, { dx: number; dy: number }> = {
  left: { dx: -1, dy: 0 },
  right: { dx: 1, dy: 0 },
  up: { dx: 0, dy: -1 },
  down: { dx: 0, dy: 1 },
};

/**
 * Weight of the sideways offset for cells outside the 90° cone: a cell far off to the side should
 * lose to one a little further ahead, or "right" would wander up and down the field.
 */
const SIDEWAYS_WEIGHT = 2;

/**
 * The cell the arrow key moves to from cell `from`: the nearest centre inside the 90° cone around
 * the direction (what a person sees as "the next cell to the right"); when the cone is empty, the
 * cell ahead (in the half-plane) with the least distance ahead plus twice the sideways offset, so the
 * cells of a ragged field are all reachable. Returns `from` when nothing lies in that direction (the
 * ring stays put at the edge rather than wrapping, which would lose the reader's place).
 */
export function nearestInDirection(points: readonly MapPoint[], from: number, direction: MapDirection): number {
  const origin = points[from];
  if (!origin) return from;
  const { dx, dy } = UNIT[direction];
  let coneBest = -1;
  let coneScore = Infinity;
  let planeBest = -1;
  let planeScore = Infinity;
  points.forEach((p, i) => {
    if (i === from) return;
    const vx = p.x - origin.x;
    const vy = p.y - origin.y;
    const ahead = vx * dx + vy * dy;
    if (!(ahead > 0)) return;
    const sideways = Math.abs(vx * dy - vy * dx);
    if (sideways <= ahead) {
      const d = Math.hypot(vx, vy);
      if (d < coneScore) [coneBest, coneScore] = [i, d];
    } else {
      const s = ahead + SIDEWAYS_WEIGHT * sideways;
      if (s < planeScore) [planeBest, planeScore] = [i, s];
    }
  });
  if (coneBest >= 0) return coneBest;
  return planeBest >= 0 ? planeBest : from;
}

/**
 * Home / End: the cell nearest the top-left (`first`) or bottom-right (`last`) corner, where a
 * reader starts and ends. Null when there are no cells.
 */
export function cornerCell(points: readonly MapPoint[], which: 'first' | 'last'): number | null {
  let best: number | null = null;
  let bestKey = 0;
  points.forEach((p, i) => {
    const key = which === 'first' ? p.x + p.y : -(p.x + p.y);
    if (best === null || key < bestKey) [best, bestKey] = [i, key];
  });
  return best;
}

/**
 * The cell the ring starts on when the map gets focus: the one it was on (`previous`), else the
 * review's current cell when it is in this map (`current`), else the top-left one.
 */
export function startingCell(
  points: readonly MapPoint[],
  previous: number | null,
  current: number | null,
): number | null {
  const valid = (i: number | null): i is number => i !== null && Number.isInteger(i) && i >= 0 && i < points.length;
  if (valid(previous)) return previous;
  if (valid(current)) return current;
  return cornerCell(points, 'first');
}

/**
 * What tapping (or Enter on) a cell does: a red cell goes to the review queue (the controller's
 * `addToQueue`); a white blood cell or an artefact is never counted as a red cell or reviewed, so the
 * map says why instead of doing nothing in silence.
 */
export type CellActivation = 'queue' | 'white-cell' | 'artefact';

export function activationOf(label: CellLabel): CellActivation {
  if (isRedCellLabel(label)) return 'queue';
  return label === 'WhiteBloodCell' ? 'white-cell' : 'artefact';
}
