/**
 * The tfjs-backend-wasm kernels the app runs, registered one by one instead of the package's
 * `register_all_kernels` (≈ 160 kernels, most of them never used here, plus the CPU backend's
 * string and sparse helpers and the `long` library they pull in). The package is built for this:
 * its base module registers the backend without kernels ("a modular build would … import only the
 * kernels that are needed", tfjs-backend-wasm/dist/register_all_kernels.js).
 *
 * Which kernels: every one that preprocessing (preprocessPixels, stack), the network's forward pass
 * (src/core/model/cell-network.ts, every layer type network-plan.ts accepts) and Grad-CAM with its
 * gradients (where-map.ts, head-gradients.ts) run, and the kernels those call directly (Transpose,
 * Concat, Fill: a WASM kernel's setup binds its WASM function, so one called by another must be
 * registered too, or it fails with "wasmTranspose is not a function"). wasm-kernels.test.ts records
 * the kernels the classifier runs (tf.profile, every layer variant) and follows the kernels'
 * imports, and fails when one is missing here. At run time a missing kernel fails loudly, and the
 * classifier falls back to the next backend.
 * Must run before the WASM backend is first activated: tfjs sets kernels up when a backend starts.
 */
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { addConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Add';
import { avgPoolConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/AvgPool';
import { avgPoolGradConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/AvgPoolGrad';
import { batchMatMulConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/BatchMatMul';
import { castConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Cast';
import { clipByValueConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/ClipByValue';
import { concatConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Concat';
import { eluConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Elu';
import { eluGradConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/EluGrad';
import { equalConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Equal';
import { expandDimsConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/ExpandDims';
import { flipLeftRightConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/FlipLeftRight';
import { fillConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Fill';
import { fusedBatchNormConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/FusedBatchNorm';
import { fusedConv2DConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/FusedConv2D';
import { greaterConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Greater';
import { greaterEqualConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/GreaterEqual';
import { identityConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Identity';
import { leakyReluConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/LeakyRelu';
import { lessEqualConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/LessEqual';
import { logConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Log';
import { log1pConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Log1p';
import { logicalAndConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/LogicalAnd';
import { maxConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Max';
import { maxPoolConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/MaxPool';
import { maxPoolGradConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/MaxPoolGrad';
import { meanConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Mean';
import { multiplyConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Multiply';
import { negConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Neg';
import { packConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Pack';
import { padV2Config } from '@tensorflow/tfjs-backend-wasm/dist/kernels/PadV2';
import { realDivConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/RealDiv';
import { reluConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Relu';
import { relu6Config } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Relu6';
import { reshapeConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Reshape';
import { resizeBilinearConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/ResizeBilinear';
import { rsqrtConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Rsqrt';
import { selectConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Select';
import { sigmoidConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Sigmoid';
import { sliceConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Slice';
import { squareConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Square';
import { stepConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Step';
import { subConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Sub';
import { sumConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Sum';
import { tanhConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Tanh';
import { tileConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Tile';
import { transposeConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Transpose';
import { zerosLikeConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/ZerosLike';
import { _fusedMatMulConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/_FusedMatMul';

export const WASM_KERNELS: readonly KernelConfig[] = [
  addConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  batchMatMulConfig,
  castConfig,
  clipByValueConfig,
  concatConfig, // called by Pack
  eluConfig,
  eluGradConfig,
  equalConfig,
  expandDimsConfig,
  fillConfig, // called by PadV2
  flipLeftRightConfig, // the second view of a two-view model (@malaria/contract/model-views) and its where map
  fusedBatchNormConfig,
  fusedConv2DConfig,
  greaterConfig,
  greaterEqualConfig,
  identityConfig,
  leakyReluConfig,
  lessEqualConfig,
  logConfig,
  log1pConfig,
  logicalAndConfig,
  maxConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  meanConfig,
  multiplyConfig,
  negConfig,
  packConfig,
  padV2Config,
  realDivConfig,
  reluConfig,
  relu6Config,
  reshapeConfig,
  resizeBilinearConfig,
  rsqrtConfig,
  selectConfig,
  sigmoidConfig,
  sliceConfig,
  squareConfig,
  stepConfig,
  subConfig,
  sumConfig,
  tanhConfig,
  tileConfig,
  transposeConfig, // called by Mean, Max, Sum (their setup binds the WASM function they share)
  zerosLikeConfig,
  _fusedMatMulConfig,
];

/** Registers the kernels above for 'wasm' (idempotent). */
export function registerWasmKernels(): void {
  for (const k of WASM_KERNELS) if (!getKernel(k.kernelName, k.backendName)) registerKernel(k);
}
