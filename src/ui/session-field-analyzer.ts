/**
 * Connects slide sessions to the whole-field pipeline (src/core/field, owned by the field-analysis
 * work): decode → detection + masked crops in the field worker → batched classification.
 */
import { fieldAnalyzer } from '../core/field/field-analysis.js';
import type { FieldAnalyzer } from '../core/slide/field-analyzer.js';

export const defaultFieldAnalyzer: FieldAnalyzer | null = fieldAnalyzer;
