/** Starts `scripts/serve.mjs` (what `npm start` serves) on `port` for the browser benches; resolves once it listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export async function startBenchServer(root: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), '--build-if-needed'], {
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
