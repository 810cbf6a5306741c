/** Writes a still image as a short Y4M (YUV 4:2:0) video, the format Chromium's fake camera reads. */
import sharp from 'sharp';

export async function imageToY4m(file: string, frames = 2): Promise<Buffer> {
  const meta = await sharp(file).metadata();
  // 4:2:0 needs even dimensions: crop the last odd row/column.
  const w = (meta.width ?? 0) & ~1;
  const h = (meta.height ?? 0) & ~1;
  const { data } = await sharp(file)
    .removeAlpha()
    .extract({ left: 0, top: 0, width: w, height: h })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2));
  const v = Buffer.alloc((w / 2) * (h / 2));
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const k = (j * w + i) * 3;
      const r = data[k] ?? 0,
        g = data[k + 1] ?? 0,
        b = data[k + 2] ?? 0;
      // Full-range BT.601 (C420jpeg), the inverse of what Chromium applies.
      y[j * w + i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  for (let j = 0; j < h / 2; j++) {
    for (let i = 0; i < w / 2; i++) {
      let r = 0,
        g = 0,
        b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const k = ((2 * j + dy) * w + 2 * i + dx) * 3;
        r += data[k] ?? 0;
        g += data[k + 1] ?? 0;
        b += data[k + 2] ?? 0;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      u[j * (w / 2) + i] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      v[j * (w / 2) + i] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${w} H${h} F30:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n'), y, u, v);
  return Buffer.concat(parts);
}
