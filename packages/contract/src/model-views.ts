import * as tf from '@tensorflow/tfjs-core';
import type { ModelViewCount } from './metadata.js';

/**
 * The views a model with metadata `output.views` is run on, shared by the browser and training (imported as
 * `@malaria/contract/model-views`, like preprocess.ts, because it needs tfjs-core).
 *
 * View 0 is the cell as given; view 1 is the cell turned 90°: out[y][x] = in[H − 1 − x][y] (training's
 * `dihedral` k = 5, the second entry of `DIHEDRAL_VIEW_ORDER`, which the two-view numbers were measured
 * with). P(Parasitized) is the mean of the views' P.
 */

/** [n, H, W, C] → [views · n, H, W, C]: all cells as given, then all cells turned 90°. Caller owns the result. */
export function withViews(batch: tf.Tensor4D, views: ModelViewCount): tf.Tensor4D {
  if (views === 1) return tf.clone(batch);
  const [, h, w] = batch.shape;
  if (h !== w) throw new Error(`two views turn the cell by 90°: the input must be square, got ${h}×${w}`);
  // transpose, then mirror left–right. flipLeftRight, not reverse(…, 2): the same numbers, but tfjs-backend-wasm's
  // FlipLeftRight takes 0.26 ms per 32 cells at 48 px where its Reverse takes 7.0 ms (tf.profile, Node).
  return tf.tidy(
    () =>
      tf.concat([batch, tf.image.flipLeftRight(tf.transpose(batch, [0, 2, 1, 3]) as tf.Tensor4D)], 0) as tf.Tensor4D,
  );
}

/**
 * Maps computed on the second view ([n, H, W], one value per input pixel, e.g. a where map) turned back onto
 * the cell as given: the inverse of `withViews`' turn, transpose(flipLeftRight(map)). Caller owns the result.
 */
export function secondViewToCell(maps: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(
    () =>
      tf.transpose(
        tf.squeeze(tf.image.flipLeftRight(tf.expandDims(maps, 3) as tf.Tensor4D), [3]),
        [0, 2, 1],
      ) as tf.Tensor3D,
  );
}

/** P per view stacked as `withViews` orders them ([views · n] or [views · n, 1]) → mean P per cell, [n]. */
export function meanOverViews(probabilities: tf.Tensor, views: ModelViewCount): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.reshape(probabilities, [views, -1]), 0) as tf.Tensor1D);
}

/** P(Parasitized) per cell, [n], of a network that maps [m, H, W, C] to [m] or [m, 1] P. */
export function predictOverViews(
  batch: tf.Tensor4D,
  views: ModelViewCount,
  network: (x: tf.Tensor4D) => tf.Tensor,
): tf.Tensor1D {
  return tf.tidy(() => meanOverViews(network(views === 1 ? batch : withViews(batch, views)), views));
}
