/**
 * The browser side of adding images to a slide session (the controller's ImageIntake port):
 *  - a whole field → detection + masked crops in the field worker → classification → for every
 *    cell the model flags, a review crop of the cell and its neighbours (cut from the full-resolution
 *    image) and its "where" map (src/core/review/where-map.ts, on the model input the classifier saw);
 *  - a single-cell crop → batched classification (core/cells/classify-cells.ts: an image the model
 *    cannot take is reported alone, the rest of its batch is counted), stored at ≤ 160 px.
 * "Field or cell" is decided by `looksLikeField` (via `guessDecodedKind`, the same decision as the
 * app shell's routing) unless the user chose "field photos": a large photo picked as single cells is analysed as a field, not counted as one cell.
 * Every other image must pass the single-cell plausibility gate (src/core/cells/cell-plausibility.ts)
 * before it can be a cell: a field-like one is analysed as a field, anything else is reported with
 * the reason and never counted.
 */
import type { Classifier } from '../../core/model/classifier-types.js';
import { decodeImageFile, type DecodedImage } from '../decode/decode-image.js';
import { describeError } from '../../core/decode/image-format.js';
import { analyzeFieldImage, toSessionFieldResult, type FieldAnalysis } from '../field/field-analysis.js';
import { guessDecodedKind } from '../field/guess-image-kind.js';
import { gateDecodedImage } from '../cells/cell-gate-browser.js';
import { cellGateMessage, type CellGateResult } from '../../core/cells/cell-plausibility.js';
import { isUserFacingError } from '../../core/shared/user-facing-error.js';
import { CELL_BATCH_SIZE } from '../../core/cells/batch-runner.js';
import { classifyBatchSettled, type CellClassification } from '../../core/cells/classify-cells.js';
import type { CellEvidence } from '../../core/records/schema.js';
import { cropForStorage, downscaleForStorage } from '../records/stored-image.js';
import {
  STORED_CELL_MAX_SIDE,
  STORED_FIELD_MAX_SIDE,
  STORED_REVIEW_CROP_MAX_SIDE,
} from '../../core/records/image-sizes.js';
import { reviewRegion } from '../../core/review/review-region.js';
import type { WhereMap } from '../../core/review/where-map.js';
import type { ImageIntake, IntakeEntry, IntakeKind, IntakeOutcome } from '../../core/slide/session-controller.js';
import { singleCellResult } from '../../core/slide/field-result.js';
import { flaggedByModel } from '@malaria/contract';

/** A classifier that can also say where it looked (LoadedClassifier implements it). */
export interface ReviewClassifier extends Classifier {
  whereMaps?(sources: readonly ImageData[]): Promise<WhereMap[]>;
}

/** Review crops and where maps for the cells the model flagged, indexed as in the session result. */
async function reviewEvidence(a: FieldAnalysis, classifier: ReviewClassifier): Promise<CellEvidence[]> {
  const flagged = a.cells
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell }) => cell.label !== 'WhiteBloodCell' && flaggedByModel(cell));
  if (!flagged.length) return [];
  const source = a.full ?? a.display;
  const scale = source.width / a.width;
  const withCrops = flagged.filter(({ cell }) => a.crops.has(cell.id));
  let maps: WhereMap[] = [];
  if (classifier.whereMaps && withCrops.length) {
    try {
      maps = await classifier.whereMaps(withCrops.map(({ cell }) => a.crops.get(cell.id)!));
    } catch {
      maps = []; // the review still works without the map; the crop is what matters
    }
  }
  const mapOf = new Map(withCrops.map(({ cell }, i) => [cell.id, maps[i]]));
  const out: CellEvidence[] = [];
  for (const { cell, index } of flagged) {
    const region = reviewRegion(cell, a.width, a.height);
    const image = await cropForStorage(source, scale, region, STORED_REVIEW_CROP_MAX_SIDE);
    const map = mapOf.get(cell.id);
    const box = a.cropBoxes.get(cell.id);
    out.push({
      cell: index,
      image,
      region,
      where:
        map && box
          ? { width: map.width, height: map.height, values: map.values.slice().buffer as ArrayBuffer, box: { ...box } }
          : null,
    });
  }
  return out;
}

async function analyseField(file: File, classifier: ReviewClassifier, decoded?: DecodedImage): Promise<IntakeEntry> {
  // analyzeFieldImage throws NoCellsFoundError when the field has no red cell.
  const a = await analyzeFieldImage(file, file.name, classifier, () => {}, { keepFullImage: true, decoded });
  try {
    const result = toSessionFieldResult(a);
    const image = await downscaleForStorage(a.display, a.display.width, a.display.height, STORED_FIELD_MAX_SIDE);
    const evidence = await reviewEvidence(a, classifier);
    return { result, image, evidence };
  } finally {
    a.display.close();
    a.full?.close();
  }
}

/** One field photo analysed, or why it was not added. `decoded`: the file, already decoded (handed over). */
async function fieldOutcome(file: File, classifier: ReviewClassifier, decoded?: DecodedImage): Promise<IntakeOutcome> {
  try {
    return { file: file.name, source: file, entry: await analyseField(file, classifier, decoded) };
  } catch (err) {
    // "No cells found" and rejected images come with their own clear message.
    const why = isUserFacingError(err, 'no-cells', 'image-rejected') ? err.message : describeError(err);
    return { file: file.name, source: file, error: `${why} The image was not added.` };
  }
}

export function createSessionIntake(classifier: ReviewClassifier): ImageIntake {
  return {
    async *analyse(
      files: readonly File[],
      kind: IntakeKind,
      onProgress: (text: string) => void,
    ): AsyncIterable<IntakeOutcome> {
      const cells: { file: File; decoded: DecodedImage }[] = [];
      async function* flush(): AsyncGenerator<IntakeOutcome> {
        const batch = cells.splice(0, cells.length);
        if (!batch.length) return;
        try {
          // One image the model cannot take is reported alone; the rest of the batch is counted.
          const predictions = await classifyBatchSettled(
            classifier,
            batch.map((b) => b.decoded.source),
          );
          for (const [i, { file, decoded }] of batch.entries()) {
            const p = predictions[i] as CellClassification;
            if (p instanceof Error) {
              yield { file: file.name, source: file, error: `${describeError(p)} It was not counted.` };
              continue;
            }
            const image = await downscaleForStorage(
              decoded.source,
              decoded.width,
              decoded.height,
              STORED_CELL_MAX_SIDE,
            );
            yield {
              file: file.name,
              source: file,
              entry: { result: singleCellResult(file.name, decoded.width, decoded.height, p), image, evidence: [] },
            };
          }
        } finally {
          for (const b of batch) b.decoded.close();
        }
      }
      for (const [i, file] of files.entries()) {
        onProgress(`Analysing ${file.name} (${i + 1} of ${files.length})…`);
        if (kind === 'field') {
          yield* flush();
          yield await fieldOutcome(file, classifier);
          continue;
        }
        let decoded: DecodedImage;
        try {
          decoded = await decodeImageFile(file);
        } catch (err) {
          yield { file: file.name, source: file, error: describeError(err) };
          continue;
        }
        // A field photo given as "single cells" is analysed as a field, never counted as one cell;
        // anything else must pass the single-cell plausibility gate (size, stain colour, one blob of
        // red-cell shape on a dark background) or it is reported and not counted.
        if (!guessDecodedKind(decoded).isField) {
          let gate: CellGateResult;
          try {
            gate = gateDecodedImage(decoded.source, decoded.width, decoded.height);
          } catch (err) {
            decoded.close();
            yield { file: file.name, source: file, error: describeError(err) };
            continue;
          }
          if (gate.ok) {
            cells.push({ file, decoded });
            if (cells.length >= CELL_BATCH_SIZE) yield* flush();
            continue;
          }
          if (gate.kind !== 'field') {
            decoded.close();
            yield { file: file.name, source: file, error: `${cellGateMessage(gate)} It was not counted.` };
            continue;
          }
        }
        let handedOver = false;
        try {
          yield* flush();
          handedOver = true; // analyzeFieldImage closes it from here on
          yield await fieldOutcome(file, classifier, decoded);
        } finally {
          if (!handedOver) decoded.close(); // the run stopped while the cells before it were flushed
        }
      }
      yield* flush();
    },
  };
}
