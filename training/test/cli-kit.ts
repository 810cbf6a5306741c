/** What the training tests share: the committed fixture cells and a way to run a CLI script as `npm run` does. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** training/ — the working directory of every CLI run. */
export const TRAINING_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The 40 NIH fixture cells of the repository (fixtures/cells: Parasitized/, Uninfected/). */
export const FIXTURE_CELLS = path.resolve(TRAINING_ROOT, '..', 'fixtures', 'cells');

const run = promisify(execFile);

/** Runs `script` (relative to training/) with tsx in a child Node process; rejects on a non-zero exit. */
export function runCli(script: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: TRAINING_ROOT,
    maxBuffer: 32 * 1024 * 1024,
  });
}
