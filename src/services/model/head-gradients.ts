/**
 * The gradients the review's Grad-CAM needs (src/core/review/where-map.ts `gradCam`), and only
 * those: Grad-CAM back-propagates from the logit to the last conv block's activation, through the
 * network's head (src/core/model/cell-network.ts), never through a convolution. What a head can
 * contain is fixed by network-plan.ts: pooling, global pooling, flatten, dense (fused matMul: its
 * own gradient, plus matMul / add / activation where tfjs does not fuse under a gradient), batch
 * norm, padding / cropping, the activations, the logit of a non-sigmoid output, and the sum
 * Grad-CAM takes. `head-gradients.test.ts` runs Grad-CAM with nothing but these registered on a
 * head of every kind.
 *
 * Registering all of tfjs-core's gradients (`register_all_gradients`, what the `@tensorflow/tfjs`
 * umbrella does) pulls every op they use into the first load; this list is what is left of it.
 */
import { getGradient, registerGradient, type GradConfig } from '@tensorflow/tfjs-core';
import { addGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Add_grad';
import { avgPoolGradConfig } from '@tensorflow/tfjs-core/dist/gradients/AvgPool_grad';
import { batchMatMulGradConfig } from '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad';
import { castGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Cast_grad';
import { clipByValueGradConfig } from '@tensorflow/tfjs-core/dist/gradients/ClipByValue_grad';
import { eluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Elu_grad';
import { fusedBatchNormGradConfig } from '@tensorflow/tfjs-core/dist/gradients/FusedBatchNorm_grad';
import { leakyReluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/LeakyRelu_grad';
import { log1pGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Log1p_grad';
import { logGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Log_grad';
import { maxGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Max_grad';
import { maxPoolGradConfig } from '@tensorflow/tfjs-core/dist/gradients/MaxPool_grad';
import { meanGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Mean_grad';
import { negGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Neg_grad';
import { padV2GradConfig } from '@tensorflow/tfjs-core/dist/gradients/PadV2_grad';
import { relu6GradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu6_grad';
import { reluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad';
import { reshapeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Reshape_grad';
import { sigmoidGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sigmoid_grad';
import { sliceGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Slice_grad';
import { subGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sub_grad';
import { sumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sum_grad';
import { tanhGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Tanh_grad';

export const HEAD_GRADIENTS: readonly GradConfig[] = [
  addGradConfig,
  avgPoolGradConfig,
  batchMatMulGradConfig,
  castGradConfig, // tf.avgPool casts its result
  clipByValueGradConfig,
  eluGradConfig,
  fusedBatchNormGradConfig,
  leakyReluGradConfig,
  log1pGradConfig,
  logGradConfig,
  maxGradConfig,
  maxPoolGradConfig,
  meanGradConfig,
  negGradConfig,
  padV2GradConfig,
  relu6GradConfig,
  reluGradConfig,
  reshapeGradConfig,
  sigmoidGradConfig,
  sliceGradConfig,
  subGradConfig,
  sumGradConfig,
  tanhGradConfig,
];

/** Registers the head gradients not registered yet (idempotent; leaves others' registrations alone). */
export function registerHeadGradients(): void {
  for (const config of HEAD_GRADIENTS) if (!getGradient(config.kernelName)) registerGradient(config);
}
