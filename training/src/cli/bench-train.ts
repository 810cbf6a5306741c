/**
 * Training throughput (images/s) of the engine in use against tfjs-backend-cpu, same model and batch.
 * Usage: npm run bench -w training -- [--sizes 44,64] [--batch 32] [--steps 6] [--out reports/bench-train.json]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, int, str } from '../args.js';
import { initEngine, tf } from '../engine.js';
import { buildModel, compileModel, weightBytes } from '../model.js';
import { registerWasmConvGradients } from '../conv2d-backprop-filter-wasm.js';

async function imagesPerSecond(size: number, batch: number, steps: number): Promise<number> {
  const model = buildModel({ inputSize: size });
  compileModel(model, 1e-3);
  const xs = tf.randomUniform([batch, size, size, 3]);
  const ys = tf.tensor2d(
    Array.from({ length: batch }, (_, i) => i % 2),
    [batch, 1],
  );
  await model.trainOnBatch(xs, ys); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  const dt = (performance.now() - t0) / 1000;
  xs.dispose();
  ys.dispose();
  model.dispose();
  return (batch * steps) / dt;
}

const args = parseArgs(process.argv.slice(2));
const sizes = str(args, 'sizes', '44,64').split(',').map(Number);
const batch = int(args, 'batch', 32);
const steps = int(args, 'steps', 6);
const cpuSteps = int(args, 'cpu-steps', 1);
const out = str(args, 'out', path.join('reports', 'bench-train.json'));
const skipCpu = args['skip-cpu'] === true;

const engine = await initEngine('auto');
const rows: {
  engine: string;
  kernel?: string;
  inputSize: number;
  batch: number;
  imagesPerSecond: number;
  weightBytes: number;
}[] = [];
for (const size of sizes) {
  const probe = buildModel({ inputSize: size });
  const bytes = weightBytes(probe);
  probe.dispose();
  const ips = await imagesPerSecond(size, batch, steps);
  const kernel = engine.engine === 'wasm' ? 'im2col' : undefined;
  rows.push({ engine: engine.engine, kernel, inputSize: size, batch, imagesPerSecond: ips, weightBytes: bytes });
  console.log(
    `${`${engine.engine}${kernel ? `/${kernel}` : ''}`.padEnd(14)} ${String(size).padStart(3)} px  batch ${batch}  ${ips.toFixed(1)} img/s`,
  );
}
if (engine.engine === 'wasm' && args['skip-conv3d'] !== true) {
  // The alternative Conv2DBackpropFilter (native Conv3DBackpropFilterV2, depth 1), for the record.
  registerWasmConvGradients('conv3d');
  for (const size of sizes) {
    const ips = await imagesPerSecond(size, batch, steps);
    rows.push({
      engine: 'wasm',
      kernel: 'conv3d',
      inputSize: size,
      batch,
      imagesPerSecond: ips,
      weightBytes: rows[0]?.weightBytes ?? 0,
    });
    console.log(`${'wasm/conv3d'.padEnd(14)} ${String(size).padStart(3)} px  batch ${batch}  ${ips.toFixed(1)} img/s`);
  }
  registerWasmConvGradients('im2col');
}
if (!skipCpu && engine.engine !== 'cpu') {
  await tf.setBackend('cpu');
  for (const size of sizes) {
    const ips = await imagesPerSecond(size, batch, cpuSteps);
    rows.push({ engine: 'cpu', inputSize: size, batch, imagesPerSecond: ips, weightBytes: rows[0]?.weightBytes ?? 0 });
    console.log(`${'cpu'.padEnd(14)} ${String(size).padStart(3)} px  batch ${batch}  ${ips.toFixed(2)} img/s`);
  }
}
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, JSON.stringify({ date: new Date().toISOString(), engine, rows }, null, 2));
console.log(`wrote ${out}`);
