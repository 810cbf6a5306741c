import { describe, expect, it } from 'vitest';
import {
  fallbackChain,
  isSoftwareRenderer,
  medianTiming,
  nextBackendAfterFailure,
  parseBackendParam,
  pickFastest,
  planBackend,
  wasmThreadCount,
  type DeviceProbe,
} from './backend-select.js';

const probe = (p: Partial<DeviceProbe>): DeviceProbe => ({
  forced: null,
  webglAvailable: true,
  webglRenderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)',
  wasmAvailable: true,
  ...p,
});

describe('parseBackendParam', () => {
  it('accepts the three backends, case-insensitively', () => {
    expect(parseBackendParam('?backend=webgl')).toBe('webgl');
    expect(parseBackendParam('?x=1&backend=WASM')).toBe('wasm');
    expect(parseBackendParam('backend=cpu')).toBe('cpu');
  });
  it('ignores missing or unknown values', () => {
    expect(parseBackendParam('')).toBeNull();
    expect(parseBackendParam('?backend=webgpu')).toBeNull();
    expect(parseBackendParam('?backend=')).toBeNull();
  });
});

describe('isSoftwareRenderer', () => {
  it('detects SwiftShader, llvmpipe and generic software renderers', () => {
    expect(
      isSoftwareRenderer(
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      ),
    ).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Software Adapter')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11)')).toBe(true);
  });
  it('treats GPUs and unknown renderers as hardware', () => {
    expect(isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)')).toBe(false);
    expect(isSoftwareRenderer('Apple GPU')).toBe(false);
    expect(isSoftwareRenderer('Adreno (TM) 640')).toBe(false);
    expect(isSoftwareRenderer(null)).toBe(false);
  });
});

describe('planBackend', () => {
  it('honours a forced backend but still falls back down the chain', () => {
    expect(planBackend(probe({ forced: 'webgl' }))).toMatchObject({ kind: 'ordered', order: ['webgl', 'wasm', 'cpu'] });
    expect(planBackend(probe({ forced: 'wasm' }))).toMatchObject({ kind: 'ordered', order: ['wasm', 'cpu'] });
    expect(planBackend(probe({ forced: 'cpu' }))).toMatchObject({ kind: 'ordered', order: ['cpu'] });
  });
  it('prefers WASM on a software WebGL renderer', () => {
    const plan = planBackend(probe({ webglRenderer: 'SwiftShader' }));
    expect(plan).toMatchObject({ kind: 'ordered', order: ['wasm', 'webgl', 'cpu'] });
    expect(plan.reason).toMatch(/software/);
  });
  it('races WebGL against WASM on real GPUs', () => {
    expect(planBackend(probe({}))).toMatchObject({ kind: 'race', candidates: ['webgl', 'wasm'], fallback: ['cpu'] });
  });
  it('uses what exists when WebGL or WASM is missing', () => {
    expect(planBackend(probe({ webglAvailable: false }))).toMatchObject({ order: ['wasm', 'cpu'] });
    expect(planBackend(probe({ webglAvailable: false, wasmAvailable: false }))).toMatchObject({ order: ['cpu'] });
    expect(planBackend(probe({ wasmAvailable: false }))).toMatchObject({ order: ['webgl', 'cpu'] });
  });
});

describe('pickFastest / median / fallback', () => {
  it('picks the smallest finite time, ties to the first', () => {
    expect(
      pickFastest([
        { backend: 'webgl', ms: 12 },
        { backend: 'wasm', ms: 7 },
      ]),
    ).toBe('wasm');
    expect(
      pickFastest([
        { backend: 'webgl', ms: 5 },
        { backend: 'wasm', ms: 5 },
      ]),
    ).toBe('webgl');
    expect(
      pickFastest([
        { backend: 'webgl', ms: Infinity },
        { backend: 'wasm', ms: 30 },
      ]),
    ).toBe('wasm');
    expect(pickFastest([{ backend: 'webgl', ms: Infinity }])).toBeNull();
  });
  it('computes medians', () => {
    expect(medianTiming([3, 1, 2])).toBe(2);
    expect(medianTiming([4, 1, 3, 2])).toBe(2.5);
    expect(medianTiming([])).toBe(Infinity);
  });
  it('falls back WebGL → WASM → CPU', () => {
    expect(fallbackChain('webgl')).toEqual(['webgl', 'wasm', 'cpu']);
    expect(nextBackendAfterFailure('webgl')).toBe('wasm');
    expect(nextBackendAfterFailure('wasm')).toBe('cpu');
    expect(nextBackendAfterFailure('cpu')).toBeNull();
  });
});

describe('wasmThreadCount', () => {
  it('uses one XNNPACK thread per two logical cores, between 1 and 4', () => {
    expect([1, 2, 3, 4, 6, 8, 16, 64].map(wasmThreadCount)).toEqual([1, 1, 1, 2, 3, 4, 4, 4]);
  });
  it('falls back to one thread when the core count is unknown', () => {
    expect([0, -1, Number.NaN, Number.POSITIVE_INFINITY].map(wasmThreadCount)).toEqual([1, 1, 1, 1]);
  });
});
