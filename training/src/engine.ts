/**
 * Picks the training/inference engine: @tensorflow/tfjs-node when it loads (fast native path on a
 * normal machine), else tfjs-backend-wasm with our Conv2DBackpropFilter kernel, else plain cpu.
 * Always logs which engine runs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { registerWasmConvGradients } from './conv2d-backprop-filter-wasm.js';

export type EngineName = 'tfjs-node' | 'wasm' | 'cpu';

export interface EngineInfo {
  engine: EngineName;
  backend: string;
  note: string;
}

async function tryTfjsNode(): Promise<boolean> {
  try {
    const modName = '@tensorflow/tfjs-node';
    await import(modName);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

export async function initEngine(
  requested: EngineName | 'auto' = 'auto',
  log: (msg: string) => void = (m) => console.log(m),
): Promise<EngineInfo> {
  let info: EngineInfo | undefined;
  if (requested === 'auto' || requested === 'tfjs-node') {
    if (await tryTfjsNode()) {
      info = { engine: 'tfjs-node', backend: tf.getBackend(), note: 'native libtensorflow' };
    } else if (requested === 'tfjs-node') {
      throw new Error('@tensorflow/tfjs-node was requested but does not load on this machine');
    }
  }
  if (!info && (requested === 'auto' || requested === 'wasm')) {
    registerWasmConvGradients();
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      info = {
        engine: 'wasm',
        backend: 'wasm',
        note: '@tensorflow/tfjs-node unavailable; tfjs-backend-wasm with registered conv gradient kernels (Conv2DBackpropFilter im2col+matMul, Conv2DBackpropInput via conv2d)',
      };
    }
  }
  if (!info) {
    await tf.setBackend('cpu');
    await tf.ready();
    info = { engine: 'cpu', backend: 'cpu', note: 'pure-JS cpu backend (slow)' };
  }
  log(`[engine] ${info.engine} (backend "${info.backend}"): ${info.note}`);
  return info;
}

export { tf };
