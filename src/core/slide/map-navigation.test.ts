import { describe, expect, it } from 'vitest';
import {
  activationOf,
  cornerCell,
  directionOfKey,
  nearestInDirection,
  startingCell,
  type MapDirection,
  type MapPoint,
} from './map-navigation.js';

/** A 3 × 3 grid, 100 px apart, indexed row by row: 0 1 2 / 3 4 5 / 6 7 8. */
const grid: MapPoint[] = [0, 1, 2].flatMap((row) => [0, 1, 2].map((col) => ({ x: col * 100, y: row * 100 })));

describe('field map keyboard navigation', () => {
  it('maps the four arrow keys and nothing else', () => {
    expect(directionOfKey('ArrowLeft')).toBe('left');
    expect(directionOfKey('ArrowRight')).toBe('right');
    expect(directionOfKey('ArrowUp')).toBe('up');
    expect(directionOfKey('ArrowDown')).toBe('down');
    expect(directionOfKey('Enter')).toBeNull();
    expect(directionOfKey('a')).toBeNull();
  });

  it('moves to the neighbour in each direction on a grid (y grows downwards)', () => {
    expect(nearestInDirection(grid, 4, 'right')).toBe(5);
    expect(nearestInDirection(grid, 4, 'left')).toBe(3);
    expect(nearestInDirection(grid, 4, 'up')).toBe(1);
    expect(nearestInDirection(grid, 4, 'down')).toBe(7);
  });

  it('stays put at an edge instead of wrapping', () => {
    expect(nearestInDirection(grid, 2, 'right')).toBe(2);
    expect(nearestInDirection(grid, 0, 'up')).toBe(0);
    expect(nearestInDirection(grid, 8, 'down')).toBe(8);
    expect(nearestInDirection([{ x: 5, y: 5 }], 0, 'left')).toBe(0);
  });

  it('prefers a cell inside the 90° cone over a nearer one off to the side', () => {
    const points: MapPoint[] = [
      { x: 0, y: 0 },
      { x: 30, y: 40 }, // 50 px away but mostly below: not "to the right"
      { x: 90, y: 10 }, // 91 px away, straight ahead
    ];
    expect(nearestInDirection(points, 0, 'right')).toBe(2);
    expect(nearestInDirection(points, 0, 'down')).toBe(1);
  });

  it('picks the nearest of several cells in the cone', () => {
    const points: MapPoint[] = [
      { x: 0, y: 0 },
      { x: 200, y: 0 },
      { x: 100, y: 20 },
      { x: 150, y: -100 },
    ];
    expect(nearestInDirection(points, 0, 'right')).toBe(2);
  });

  it('falls back to the half-plane when the cone is empty, favouring the cell least off to the side', () => {
    const points: MapPoint[] = [
      { x: 0, y: 0 },
      { x: 10, y: 300 }, // ahead by 10, 300 to the side
      { x: 50, y: 80 }, // ahead by 50, 80 to the side: 50 + 2 × 80 = 210 < 10 + 600
    ];
    expect(nearestInDirection(points, 0, 'right')).toBe(2);
    expect(nearestInDirection(points, 0, 'left')).toBe(0);
  });

  it('never moves to the same cell or a cell level with it sideways', () => {
    const points: MapPoint[] = [
      { x: 0, y: 0 },
      { x: 0, y: 0 },
      { x: 0, y: 50 },
    ];
    expect(nearestInDirection(points, 0, 'right')).toBe(0);
    expect(nearestInDirection(points, 0, 'down')).toBe(2);
  });

  it('returns the start for an index that is not a cell', () => {
    expect(nearestInDirection(grid, 42, 'right')).toBe(42);
    expect(nearestInDirection([], 0, 'down')).toBe(0);
  });

  it('reaches every cell of a ragged field with the arrow keys alone', () => {
    // Jittered hexagonal packing, like red cells in a thin film (deterministic pseudo-random jitter).
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const points: MapPoint[] = [];
    for (let row = 0; row < 12; row++)
      for (let col = 0; col < 15; col++)
        if ((row * 15 + col) % 7 !== 3)
          points.push({ x: col * 60 + (row % 2) * 30 + rand() * 15, y: row * 52 + rand() * 15 });
    const seen = new Set<number>([0]);
    const todo = [0];
    const directions: MapDirection[] = ['left', 'right', 'up', 'down'];
    while (todo.length) {
      const at = todo.pop()!;
      for (const d of directions) {
        const next = nearestInDirection(points, at, d);
        if (!seen.has(next)) {
          seen.add(next);
          todo.push(next);
        }
      }
    }
    expect(seen.size).toBe(points.length);
  });

  it('Home and End go to the top-left and bottom-right cells', () => {
    expect(cornerCell(grid, 'first')).toBe(0);
    expect(cornerCell(grid, 'last')).toBe(8);
    expect(cornerCell([], 'first')).toBeNull();
  });

  it('starts where the ring was, else on the review’s current cell, else top-left', () => {
    expect(startingCell(grid, 5, 7)).toBe(5);
    expect(startingCell(grid, null, 7)).toBe(7);
    expect(startingCell(grid, null, null)).toBe(0);
    // A ring left on a cell of an older, larger version of the field is not trusted.
    expect(startingCell(grid, 12, null)).toBe(0);
    expect(startingCell(grid, null, -1)).toBe(0);
    expect(startingCell([], null, null)).toBeNull();
  });

  it('queues red cells and explains white cells and artefacts instead', () => {
    expect(activationOf('Parasitized')).toBe('queue');
    expect(activationOf('Uninfected')).toBe('queue');
    expect(activationOf('Inconclusive')).toBe('queue');
    expect(activationOf('WhiteBloodCell')).toBe('white-cell');
    expect(activationOf('Artefact')).toBe('artefact');
  });
});
