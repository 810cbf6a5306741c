/** Generates test inputs that must exist before Chromium starts (the fake camera's .y4m video). */
import { mkdir, writeFile } from 'node:fs/promises';
import { CAMERA_CELL, CAMERA_Y4M, GENERATED_DIR } from './paths.js';
import { imageToY4m } from './y4m.js';

export default async function globalSetup(): Promise<void> {
  await mkdir(GENERATED_DIR, { recursive: true });
  await writeFile(CAMERA_Y4M, await imageToY4m(CAMERA_CELL));
}
