/**
 * How a slide session gets a whole field analysed: any function from a photo to a FieldResult plus
 * the decoded upright image (for the stored thumbnail). The session screen is given one by
 * src/ui/session-field-analyzer.ts, which wraps the whole-field pipeline (src/core/field).
 */
import type { Classifier, PixelSource } from '../classifier-types.js';
import type { FieldResult } from './field-result.js';

export interface DecodedPreview {
  source: PixelSource;
  width: number;
  height: number;
  close(): void;
}

export interface AnalyzedField {
  result: FieldResult;
  /** Upright decoded image; null when the analyser cannot hand one back (no thumbnail is stored). */
  preview: DecodedPreview | null;
}

export type FieldAnalyzer = (file: File, classifier: Classifier) => Promise<AnalyzedField>;
