/**
 * Whether this device composites and draws canvases in software: its WebGL renderer (probed by the
 * classifier, ClassifierDiagnostics.webglRenderer) is a CPU implementation such as SwiftShader or
 * llvmpipe, or it has no WebGL. Then a 2D canvas is cheaper drawn on the CPU by the page than
 * "accelerated" through GL emulation in the GPU process (field-overlay.ts `softwareCanvas`).
 * Unknown (no model loaded yet, or a classifier without diagnostics): false, the browser's default.
 */
import type { Classifier } from '../core/model/classifier-types.js';
import { isSoftwareRenderer } from '../core/model/backend-select.js';
import type { ClassifierDiagnostics } from '../services/model/classifier.js';

export function compositesInSoftware(classifier: Classifier | null): boolean {
  const d = (classifier as { diagnostics?: ClassifierDiagnostics } | null)?.diagnostics;
  if (!d) return false;
  return d.webglRenderer === null || isSoftwareRenderer(d.webglRenderer);
}
