/** Starts `scripts/serve.mjs` (what `npm start` serves) on `port` for the browser benches; resolves once it listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export async function startBenchServer(root: string, port: number): Promise<ChildProcess> {
  // DIST_DIR (an A/B run's other build) is served as it is: --build-if-needed would rebuild it from
  // this checkout's sources as soon as they are newer, and both sides of the A/B would be this build.
  const build = process.env.DIST_DIR ? [] : ['--build-if-needed'];
  const child = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), ...build], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((res, rej) => {
    child.stdout?.on('data', (d: Buffer) => {
      process.stdout.write(d);
      if (d.toString().includes('cross-origin isolated')) res();
    });
    child.on('exit', (code) => rej(new Error(`server exited with ${code}`)));
  });
  return child;
}
