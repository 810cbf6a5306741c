/**
 * Shared types of the whole-field pipeline (detection in a worker, classification on the main
 * thread, display and export). All coordinates are in the UPRIGHT image's pixel grid (EXIF
 * orientation applied), full resolution.
 */

import type { CellLabel } from '@malaria/contract';

/** An RGBA pixel buffer (same layout as ImageData, usable without the DOM). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * 'red': a red cell (classified, counted); 'white': a white blood cell (counted apart, never
 * classified); 'artefact': not a red cell — a platelet, stain debris or a fragment (shown with its
 * outline, never classified, never counted as a red cell).
 */
export type DetectedKind = 'red' | 'white' | 'artefact';

/** One object found by the detector. */
export interface DetectedCell {
  /** 1-based, unique within a field. */
  id: number;
  kind: DetectedKind;
  /** Centroid, upright full-resolution pixels. */
  x: number;
  y: number;
  /** Tight bounding box of the (upsampled) outline, full-resolution pixels. */
  box: Box;
  /** Area in full-resolution pixels (approximate: working-resolution area × scale²). */
  area: number;
  /** Closed outline polygon [x0, y0, x1, y1, …], full-resolution pixels. */
  outline: number[];
}

export interface DetectionStats {
  /** Full-resolution pixels per working pixel (integer downscale factor). */
  scale: number;
  workingWidth: number;
  workingHeight: number;
  /** Median red-cell radius in full-resolution pixels (0 when no cells). */
  medianRadius: number;
  /** Whether a bright field-of-view disc was found. */
  fieldOfViewFound: boolean;
  /** Regions dropped (not in `cells`): cut by the field-of-view edge (not countable), faint specks. */
  rejected: number;
  /** Detections of kind 'artefact' (fragments, platelets, debris), also in `cells`. */
  artefacts: number;
  /** Milliseconds spent in detection (not decoding). */
  ms: number;
}

export interface FieldDetection {
  width: number;
  height: number;
  cells: DetectedCell[];
  stats: DetectionStats;
}

/** A detected cell after classification. */
export interface ClassifiedCell extends DetectedCell {
  label: CellLabel;
  /** P(Parasitized) 0–1; white blood cells and artefacts are not classified and carry 0. */
  probability: number;
}
