/** The compact CNN shipped to phones and tablets. */
import * as tf from '@tensorflow/tfjs';

export interface ModelOptions {
  inputSize: number;
  filters?: number[];
  dropout?: number;
  seed?: number;
}

export function buildModel({
  inputSize,
  filters = [16, 32, 64, 96],
  dropout = 0.3,
  seed = 7,
}: ModelOptions): tf.LayersModel {
  const init = (i: number) => tf.initializers.heNormal({ seed: seed + i });
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'cell' });
  let x: tf.SymbolicTensor = input;
  filters.forEach((f, i) => {
    x = tf.layers
      .conv2d({
        filters: f,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(i),
        name: `conv${i + 1}`,
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `bn${i + 1}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `relu${i + 1}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `pool${i + 1}` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: dropout, name: 'dropout', seed }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: 1,
      activation: 'sigmoid',
      name: 'p_parasitized',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'malaria_cell_cnn' });
}

export function compileModel(model: tf.LayersModel, learningRate: number): void {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
}

export function weightBytes(model: tf.LayersModel): number {
  return model.weights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1) * 4, 0);
}
