import { describe, expect, it } from 'vitest';
import type { CellPixels, CellPrediction, Classifier } from '../model/classifier-types.js';
import { classifyInChunks } from './cell-pipeline.js';
import type { FileOutcome } from './classify-files.js';
import type { DecodedFiles } from '../decode/decode-protocol.js';
import type { ModelMetadata } from '@malaria/contract';
import { ImageRejectedError } from '../decode/image-format.js';
import { NotACellError } from './cell-plausibility.js';

const files = (n: number) => Array.from({ length: n }, (_, i) => new File([String(i)], `${i}.png`));

/** A fake decoder: a file named "bad-*" is rejected; every decode and close is recorded. */
function fakeDecoder() {
  const calls: string[][] = [];
  const closed: string[] = [];
  const decode = async (fs: readonly File[]): Promise<DecodedFiles> => {
    calls.push(fs.map((f) => f.name));
    await new Promise((r) => setTimeout(r, 1));
    return fs.map((f) =>
      f.name.startsWith('bad')
        ? { status: 'rejected', reason: new ImageRejectedError(`cannot read ${f.name}`) }
        : f.name.startsWith('blank')
          ? {
              status: 'rejected',
              reason: new NotACellError({ ok: false, kind: 'not-a-cell', reason: 'no dark background' }),
            }
          : f.name.startsWith('field')
            ? {
                status: 'rejected',
                reason: new NotACellError({ ok: false, kind: 'field', reason: 'many stained cells' }),
              }
            : {
                status: 'fulfilled',
                value: {
                  source: {
                    kind: 'rgb',
                    data: new Float32Array(3),
                    width: 1,
                    height: 1,
                    name: f.name,
                  } as unknown as CellPixels,
                  width: 1,
                  height: 1,
                  close: () => closed.push(f.name),
                },
              },
    );
  };
  const release = (d: DecodedFiles) => {
    for (const x of d) if (x.status === 'fulfilled') x.value.close();
  };
  return { decode, release, calls, closed };
}

const classifier: Classifier = {
  metadata: {} as ModelMetadata,
  backend: 'cpu',
  classify: async () => ({ probability: 0.9, label: 'Parasitized' }),
  classifyBatch: async (sources) => sources.map((): CellPrediction => ({ probability: 0.1, label: 'Uninfected' })),
  dispose: () => undefined,
};

describe('classifyInChunks', () => {
  it('gives every file an outcome, in order, one onChunk per chunk, decoding one chunk ahead', async () => {
    const d = fakeDecoder();
    const input = files(10);
    input[4] = new File(['x'], 'bad-4.png');
    const seen: { start: number; names: string[]; errors: (string | null)[] }[] = [];
    const out = await classifyInChunks(input, {
      classifier,
      decode: d.decode,
      release: d.release,
      chunkSize: 4,
      yieldToUi: async () => undefined,
      onChunk: (o, start) => seen.push({ start, names: o.map((x) => x.file.name), errors: o.map((x) => x.error) }),
    });
    expect(out).toEqual({ done: 10, total: 10, cancelled: false });
    expect(seen.map((s) => s.start)).toEqual([0, 4, 8]);
    expect(seen.flatMap((s) => s.names)).toEqual(input.map((f) => f.name));
    expect(seen[1]?.errors).toEqual(['cannot read bad-4.png', null, null, null]);
    // Chunk 0 and, straight after, chunk 1 are requested before chunk 0 is classified.
    expect(d.calls.map((c) => c[0])).toEqual(['0.png', 'bad-4.png', '8.png']);
    // Every decoded image is closed once classified.
    expect(d.closed.sort()).toEqual(
      input
        .filter((f) => !f.name.startsWith('bad'))
        .map((f) => f.name)
        .sort(),
    );
  });

  it('a non-cell the gate refuses is "not a red cell" with its reason, never classified, never an error', async () => {
    const d = fakeDecoder();
    const input = [new File(['a'], 'blank.png'), new File(['b'], '1.png'), new File(['c'], 'field.png')];
    const outcomes: FileOutcome[] = [];
    await classifyInChunks(input, {
      classifier,
      decode: d.decode,
      release: d.release,
      chunkSize: 8,
      yieldToUi: async () => undefined,
      onChunk: (o) => outcomes.push(...o),
    });
    expect(outcomes.map((o) => [o.file.name, o.prediction?.label ?? null, o.notACell, o.error])).toEqual([
      ['blank.png', null, 'Not a single red-cell image: no dark background.', null],
      ['1.png', 'Uninfected', null, null],
      // A whole field given as a cell is not an artefact: it belongs in the Field tab.
      [
        'field.png',
        null,
        null,
        'This looks like a whole field, not a single red-cell image: many stained cells. Analyse it in the Field tab.',
      ],
    ]);
  });

  it('frees the chunks decoded ahead when cancelled', async () => {
    const d = fakeDecoder();
    const ctrl = new AbortController();
    const out = await classifyInChunks(files(12), {
      classifier,
      decode: d.decode,
      release: d.release,
      chunkSize: 4,
      prefetch: 2,
      signal: ctrl.signal,
      yieldToUi: async () => undefined,
      onChunk: () => ctrl.abort(),
    });
    expect(out).toEqual({ done: 4, total: 12, cancelled: true });
    await new Promise((r) => setTimeout(r, 10));
    expect(d.calls).toHaveLength(3);
    expect(d.closed.sort()).toEqual(
      files(12)
        .map((f) => f.name)
        .sort(),
    );
  });
});
