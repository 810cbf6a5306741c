import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDebris, augmentBatch, DEFAULT_AUGMENT, DEFAULT_DEBRIS, withProbeDebris } from '../src/augment.js';
import { mulberry32 } from '../src/rng.js';

/** A 64×64 "cell": a pink disc of radius 24 on black. */
function disc(size = 64, radius = 24): Float32Array {
  const img = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2) > radius) continue;
      img.set([0.85, 0.5, 0.65], (y * size + x) * 3);
    }
  }
  return img;
}

test('debris darkens only cell pixels and never touches the black background', () => {
  const size = 64;
  for (let seed = 1; seed <= 50; seed++) {
    const before = disc(size);
    const after = before.slice();
    const marks = addDebris(after, size, mulberry32(seed), DEFAULT_DEBRIS);
    assert.ok(marks >= 1 && marks <= DEFAULT_DEBRIS.maxMarks);
    let changed = 0;
    for (let i = 0; i < after.length; i++) {
      const b = before[i] as number,
        a = after[i] as number;
      if (b === 0) assert.equal(a, 0, 'background pixel changed');
      assert.ok(a <= b + 1e-7, 'debris must only darken');
      if (a < b - 1e-4) changed++;
    }
    assert.ok(changed > 0, `seed ${seed}: no pixel darkened`);
    // Marks are small: together well under a sixth of the cell.
    assert.ok(changed / 3 < (1 / 6) * Math.PI * 24 * 24, `seed ${seed}: ${changed / 3} pixels changed`);
  }
});

test('debris darkens green most, like Giemsa-stained material', () => {
  const img = disc();
  const ref = img.slice();
  addDebris(img, 64, mulberry32(7), { ...DEFAULT_DEBRIS, maxMarks: 1, speckShare: 0 });
  let worst = -1;
  for (let p = 0; p < 64 * 64; p++)
    if ((ref[p * 3] as number) > 0 && (worst < 0 || (img[p * 3 + 1] as number) < (img[worst * 3 + 1] as number)))
      worst = p;
  const ratio = (c: number) => (img[worst * 3 + c] as number) / (ref[worst * 3 + c] as number);
  assert.ok(ratio(1) < ratio(0) && ratio(1) < ratio(2), `gains R ${ratio(0)} G ${ratio(1)} B ${ratio(2)}`);
});

test('debris is a no-op on an empty (all black) image and is deterministic per seed', () => {
  const black = new Float32Array(64 * 64 * 3);
  assert.equal(addDebris(black, 64, mulberry32(1), DEFAULT_DEBRIS), 0);
  assert.ok(black.every((v) => v === 0));
  const a = disc(),
    b = disc();
  addDebris(a, 64, mulberry32(42), DEFAULT_DEBRIS);
  addDebris(b, 64, mulberry32(42), DEFAULT_DEBRIS);
  assert.deepEqual(a, b);
});

test('augmentBatch with debris keeps shape and range, and differs from the same batch without it', () => {
  const pixels = new Float32Array(4 * 64 * 64 * 3);
  for (let i = 0; i < 4; i++) pixels.set(disc(), i * 64 * 64 * 3);
  const plain = augmentBatch(pixels, [0, 1, 2, 3], 64, mulberry32(5), DEFAULT_AUGMENT);
  const dirty = augmentBatch(pixels, [0, 1, 2, 3], 64, mulberry32(5), {
    ...DEFAULT_AUGMENT,
    debris: { ...DEFAULT_DEBRIS, probability: 1 },
  });
  assert.deepEqual(dirty.shape, [4, 64, 64, 3]);
  const d = dirty.dataSync(),
    p = plain.dataSync();
  assert.ok(d.every((v) => v >= 0 && v <= 1));
  let diff = 0;
  for (let i = 0; i < d.length; i++) diff += Math.abs((d[i] as number) - (p[i] as number));
  assert.ok(diff > 1, 'debris changed nothing');
  plain.dispose();
  dirty.dispose();
});

test('the debris probe marks copies of the chosen images, in order, and leaves the originals alone', () => {
  const size = 64,
    per = size * size * 3;
  const pixels = new Float32Array(3 * per);
  for (let k = 0; k < 3; k++) pixels.set(disc(size, 14 + 5 * k), k * per);
  const before = pixels.slice();
  const probe = withProbeDebris(pixels, [2, 0], size, mulberry32(3));
  assert.deepEqual(pixels, before);
  assert.equal(probe.length, 2 * per);
  for (const [k, src] of [
    [0, 2],
    [1, 0],
  ] as const) {
    const img = probe.subarray(k * per, (k + 1) * per),
      orig = pixels.subarray(src * per, (src + 1) * per);
    let darker = 0;
    for (let i = 0; i < per; i++) {
      if ((orig[i] as number) === 0) assert.equal(img[i], 0, 'background stays black');
      assert.ok((img[i] as number) <= (orig[i] as number) + 1e-7);
      if ((img[i] as number) < (orig[i] as number) - 1e-4) darker++;
    }
    assert.ok(darker > 0, `image ${k} got no debris`);
  }
  // Same marks as drawing them one by one with the same random stream.
  const rand = mulberry32(3);
  const manual = pixels.slice(2 * per, 3 * per);
  addDebris(manual, size, rand, { ...DEFAULT_DEBRIS, maxMarks: 2 });
  assert.deepEqual(probe.subarray(0, per), manual);
});
