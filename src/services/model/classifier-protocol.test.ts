import { describe, expect, it } from 'vitest';
import type { ModelMetadata } from '@malaria/contract';
import { NotACellError } from '../../core/cells/cell-plausibility.js';
import { rgbPixels } from '../../core/decode/rgb-pixels.js';
import { registerWorkerError } from '../worker-bridge/worker-bridge.js';
import type { ClassifierDiagnostics } from './classifier.js';
import { markMovable } from './movable-pixels.js';
import {
  afterRestart,
  classificationsFromWire,
  classificationsToWire,
  isDetached,
  pixelTransferables,
  viewTransferables,
  wholeBuffer,
  withBackendChange,
  type ClassifierSnapshot,
  type WirePixels,
} from './classifier-protocol.js';

registerWorkerError('NotACellError', NotACellError);

const pixels = (n = 4) => rgbPixels(new Float32Array(n * 3), n, 1);

function snapshot(backend: 'webgl' | 'wasm'): ClassifierSnapshot {
  return {
    metadata: { name: 'm' } as ModelMetadata,
    backend,
    diagnostics: {
      backend,
      backendReason: `reason ${backend}`,
      history: [{ backend, reason: `reason ${backend}`, at: 't0' }],
    } as unknown as ClassifierDiagnostics,
  };
}

describe('classifier protocol', () => {
  it('transfers only whole, plain buffers, each once', () => {
    const a = pixels();
    const b = pixels();
    const big = new Float32Array(24);
    const partial = rgbPixels(big.subarray(0, 12), 4, 1); // a view over part of a buffer: copied, not moved
    const shared = rgbPixels(new Float32Array(new SharedArrayBuffer(48)), 4, 1);
    expect(wholeBuffer(a.data)).toBe(a.data.buffer);
    expect(wholeBuffer(partial.data)).toBeNull();
    expect(wholeBuffer(shared.data)).toBeNull();
    expect(pixelTransferables([a, b, a, partial, shared])).toEqual([a.data.buffer, b.data.buffer]);
    // Bitmaps the client made are moved; a caller's are not (they are cloned).
    const mine = { width: 1, height: 1 } as unknown as WirePixels;
    const theirs = { width: 1, height: 1 } as unknown as WirePixels;
    expect(pixelTransferables([mine, theirs], new Set([mine]))).toEqual([mine]);
    const values = [new Uint8Array(4), new Uint8Array(4)];
    expect(viewTransferables([values[0]!, values[1]!, values[0]!])).toEqual([values[0]!.buffer, values[1]!.buffer]);
  });

  it('moves a pooled buffer marked movable although the pixels cover only part of it', () => {
    const pooled = new ArrayBuffer(64 * 1024); // a decode-worker size class, larger than the cell
    const cell = rgbPixels(new Float32Array(pooled, 0, 12), 4, 1);
    const callers = rgbPixels(new Float32Array(new ArrayBuffer(96), 0, 12), 4, 1);
    expect(pixelTransferables([cell, callers])).toEqual([]);
    markMovable(pooled);
    expect(pixelTransferables([cell, callers, cell])).toEqual([pooled]);
    // Moved, the pixels arrive as the same view (offset and length) on the whole buffer.
    const [moved] = structuredClone([cell.data], { transfer: [pooled] });
    expect(moved!.length).toBe(12);
    expect(moved!.buffer.byteLength).toBe(64 * 1024);
    expect(isDetached(cell)).toBe(true);
  });

  it('tells pixels whose buffer already moved', () => {
    const p = pixels();
    expect(isDetached(p)).toBe(false);
    structuredClone(p.data.buffer, { transfer: [p.data.buffer] });
    expect(isDetached(p)).toBe(true);
  });

  it('carries per-cell outcomes: predictions as they are, errors with their class, message and fields', () => {
    const notACell = new NotACellError({ ok: false, kind: 'field', reason: 'many cells' } as never);
    const wire = structuredClone(
      classificationsToWire([{ probability: 0.2, label: 'Uninfected' }, notACell, new RangeError('bad size')]),
    );
    const back = classificationsFromWire(wire, 4);
    expect(back[0]).toEqual({ probability: 0.2, label: 'Uninfected' });
    expect(back[1]).toBeInstanceOf(NotACellError);
    expect((back[1] as NotACellError).result).toEqual({ ok: false, kind: 'field', reason: 'many cells' });
    expect(back[1]).toMatchObject({ message: notACell.message });
    expect(back[2]).toBeInstanceOf(Error);
    expect(back[2]).toMatchObject({ name: 'RangeError', message: 'bad size' });
    expect(back[3]).toEqual(new Error('no prediction'));
  });

  it('follows a backend change and records a worker restart in the history', () => {
    const before = snapshot('webgl');
    const moved = withBackendChange(
      before,
      { backend: 'wasm', reason: 'WebGL context lost', at: 't1' },
      {
        ...before.diagnostics,
        backend: 'wasm',
      },
    );
    expect(moved.backend).toBe('wasm');
    expect(moved.metadata).toBe(before.metadata);
    const { snapshot: after, change } = afterRestart(moved, snapshot('wasm'), 't2');
    expect(change).toEqual({
      backend: 'wasm',
      reason: 'classifier worker restarted after a crash (was wasm): reason wasm',
      at: 't2',
    });
    expect(after.diagnostics.history).toEqual([...moved.diagnostics.history, change]);
    expect(after.diagnostics.backendReason).toBe(change.reason);
  });
});
