/**
 * The matching rule: a detection matches a ground-truth cell when the point lies inside the
 * detection's outline, or within 0.5 median cell radius of its centre; each point matches at most
 * one detection and each detection at most one point.
 */
import { pointInPolygon } from '../../src/core/field/outline.js';

export interface MatchableDetection {
  x: number;
  y: number;
  outline: readonly number[];
}

export interface MatchResult {
  /** detectionOfPoint[i] = index of the detection matched to point i, or −1. */
  detectionOfPoint: number[];
  matched: number;
  recall: number;
  precision: number;
}

export function matchPoints(
  points: readonly { x: number; y: number }[],
  detections: readonly MatchableDetection[],
  medianRadius: number,
): MatchResult {
  const detectionOfPoint = points.map(() => -1);
  const taken = new Uint8Array(detections.length);
  const near = 0.5 * medianRadius;
  // Pass 1: points inside an outline (the closest centre first when outlines overlap).
  points.forEach((p, i) => {
    let best = -1,
      bestD = Infinity;
    detections.forEach((d, j) => {
      if (taken[j]) return;
      const dd = (d.x - p.x) ** 2 + (d.y - p.y) ** 2;
      if (dd < bestD && pointInPolygon(p.x, p.y, d.outline)) {
        best = j;
        bestD = dd;
      }
    });
    if (best >= 0) {
      detectionOfPoint[i] = best;
      taken[best] = 1;
    }
  });
  // Pass 2: remaining points to an untaken detection centre within half a median radius.
  points.forEach((p, i) => {
    if (detectionOfPoint[i]! >= 0) return;
    let best = -1,
      bestD = near * near;
    detections.forEach((d, j) => {
      if (taken[j]) return;
      const dd = (d.x - p.x) ** 2 + (d.y - p.y) ** 2;
      if (dd <= bestD) {
        best = j;
        bestD = dd;
      }
    });
    if (best >= 0) {
      detectionOfPoint[i] = best;
      taken[best] = 1;
    }
  });
  const matched = detectionOfPoint.filter((j) => j >= 0).length;
  return {
    detectionOfPoint,
    matched,
    recall: points.length ? matched / points.length : 1,
    precision: detections.length ? matched / detections.length : points.length ? 0 : 1,
  };
}
