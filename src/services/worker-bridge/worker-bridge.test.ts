import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { exposeWorkerApi } from './expose-worker.js';
import {
  DEFAULT_IDLE_MS,
  registerWorkerError,
  transfer,
  WorkerBridge,
  WorkerCrashedError,
  type WorkerEndpoint,
} from './worker-bridge.js';
import { ImageRejectedError } from '../../core/decode/image-format.js';
import { NotACellError } from '../../core/cells/cell-plausibility.js';

registerWorkerError('ImageRejectedError', ImageRejectedError);
registerWorkerError('NotACellError', NotACellError);

interface Api {
  double(n: number): Promise<number>;
  sum(buffer: ArrayBuffer): Promise<number>;
  reject(message: string): Promise<number>;
  notACell(): Promise<number>;
  wait(ms: number): Promise<number>;
}

const api: Api = {
  double: async (n) => n * 2,
  sum: async (buffer) => new Uint8Array(buffer).reduce((a, b) => a + b, 0),
  reject: async (message) => {
    throw new ImageRejectedError(message);
  },
  notACell: async () => {
    throw new NotACellError({ ok: false, kind: 'field', reason: 'many cells' } as never);
  },
  wait: (ms) => new Promise((resolve) => setTimeout(() => resolve(ms), ms)),
};

/** A "worker": the two ends of a MessageChannel, `api` exposed on one of them. */
interface FakeWorker extends WorkerEndpoint, Pick<EventTarget, 'dispatchEvent'> {
  terminate: Mock<() => void>;
  inner: MessagePort;
}
const open: MessagePort[] = [];
function fakeWorker(exposed: object | null = api): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  if (exposed) exposeWorkerApi(exposed, port2 as unknown as WorkerEndpoint);
  const endpoint = port1 as unknown as FakeWorker;
  endpoint.inner = port2;
  endpoint.terminate = vi.fn<() => void>(() => {
    port1.close();
    port2.close();
  });
  return endpoint;
}

const pageApi: Api = { ...api, double: async (n) => -n * 2 };
const double = (n: number) => ({
  worker: (a: { double(n: number): Promise<number> }) => a.double(n),
  page: (a: Api) => a.double(n),
});

afterEach(() => {
  vi.useRealTimers();
  for (const p of open.splice(0)) p.close();
});

describe('worker bridge', () => {
  it('runs a call in the worker and returns its result, transferring buffers', async () => {
    const worker = fakeWorker();
    const bridge = new WorkerBridge<Api>({ start: () => worker, page: () => pageApi });
    expect(await bridge.call(double(21))).toBe(42);
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    expect(await bridge.call({ worker: (a) => a.sum(transfer(buffer, [buffer])), page: (a) => a.sum(buffer) })).toBe(6);
    expect(buffer.byteLength).toBe(0); // moved, not copied
    expect(bridge.mode).toBe('worker');
    bridge.dispose();
  });

  it('an error thrown in the worker arrives with its type, message and fields', async () => {
    const bridge = new WorkerBridge<Api>({ start: () => fakeWorker(), page: () => pageApi });
    const err = await bridge
      .call({ worker: (a) => a.reject('The file is empty (0 bytes).'), page: (a) => a.reject('') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageRejectedError);
    expect((err as Error).message).toBe('The file is empty (0 bytes).');
    expect((err as Error).name).toBe('ImageRejectedError');
    const cell = await bridge.call({ worker: (a) => a.notACell(), page: (a) => a.notACell() }).catch((e: unknown) => e);
    expect(cell).toBeInstanceOf(NotACellError);
    expect(cell).toBeInstanceOf(ImageRejectedError);
    expect((cell as NotACellError).result).toEqual({ ok: false, kind: 'field', reason: 'many cells' });
    expect((cell as Error).message).toBe(
      new NotACellError({ ok: false, kind: 'field', reason: 'many cells' } as never).message,
    );
    // A type the page did not register still arrives with its name and message.
    const other = await bridge
      .call({
        worker: async () => {
          throw new RangeError('nope');
        },
        page: async () => 0,
      })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Error);
    expect(other).toMatchObject({ message: 'nope' });
    bridge.dispose();
  });

  it('an aborted call rejects at once with an AbortError, and the bridge keeps working', async () => {
    const worker = fakeWorker();
    const bridge = new WorkerBridge<Api>({ start: () => worker, page: () => pageApi });
    const discard = vi.fn();
    const ac = new AbortController();
    const slow = bridge.call({ worker: (a) => a.wait(50), page: (a) => a.wait(50) }, { signal: ac.signal, discard });
    ac.abort();
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
    expect(await bridge.call(double(4))).toBe(8);
    await vi.waitFor(() => expect(discard).toHaveBeenCalledWith(50)); // the late result is handed back to be freed
    expect(worker.terminate).not.toHaveBeenCalled();
    // Already aborted: rejects without reaching the worker.
    await expect(bridge.call(double(1), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    bridge.dispose();
  });

  it('with abortTerminates, an abort stops the busy worker and the next call starts a new one', async () => {
    const workers: FakeWorker[] = [];
    const bridge = new WorkerBridge<Api>({
      start: () => {
        const w = fakeWorker();
        workers.push(w);
        return w;
      },
      page: () => pageApi,
      abortTerminates: true,
    });
    const ac = new AbortController();
    const slow = bridge.call({ worker: (a) => a.wait(10_000), page: (a) => a.wait(0) }, { signal: ac.signal });
    await vi.waitFor(() => expect(workers).toHaveLength(1));
    ac.abort();
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0]!.terminate).toHaveBeenCalledTimes(1);
    expect(bridge.started).toBe(false);
    expect(await bridge.call(double(5))).toBe(10);
    expect(workers).toHaveLength(2);
    bridge.dispose();
  });

  it('terminates a worker idle for idleMs and starts a new one on the next call', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const workers: FakeWorker[] = [];
    const bridge = new WorkerBridge<Api>({
      start: () => {
        const w = fakeWorker();
        workers.push(w);
        return w;
      },
      page: () => pageApi,
    });
    expect(await bridge.call(double(1))).toBe(2);
    vi.advanceTimersByTime(DEFAULT_IDLE_MS - 1);
    expect(workers[0]!.terminate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(workers[0]!.terminate).toHaveBeenCalledTimes(1);
    expect(bridge.started).toBe(false);
    expect(await bridge.call(double(2))).toBe(4);
    expect(workers).toHaveLength(2);
    expect(bridge.mode).toBe('worker');
    bridge.dispose();
    expect(workers[1]!.terminate).toHaveBeenCalledTimes(1);
  });

  it('does not terminate a worker while a call is in flight', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const worker = fakeWorker({
      ...api,
      wait: () => new Promise((resolve) => worker.inner.once('close', () => resolve(0))),
    });
    const bridge = new WorkerBridge<Api>({ start: () => worker, page: () => pageApi, idleMs: 100 });
    bridge.warm();
    const pending = bridge.call({ worker: (a) => a.wait(0), page: (a) => a.wait(0) });
    vi.advanceTimersByTime(1_000);
    expect(worker.terminate).not.toHaveBeenCalled();
    bridge.dispose();
    await expect(pending).rejects.toThrow('disposed');
  });

  it('runs on the page when the worker cannot be started or is not supported', async () => {
    const throwing = new WorkerBridge<Api>({
      start: () => {
        throw new Error('no Worker here');
      },
      page: () => pageApi,
    });
    expect(await throwing.call(double(3))).toBe(-6);
    expect(throwing.mode).toBe('page');
    const unsupported = new WorkerBridge<Api>({
      start: () => fakeWorker(),
      page: () => pageApi,
      supported: () => false,
    });
    expect(unsupported.mode).toBe('page');
    expect(await unsupported.call(double(3))).toBe(-6);
  });

  it('runs on the page when the worker fails before it is ready', async () => {
    const worker = fakeWorker(null); // its script "failed": it never exposes anything
    const bridge = new WorkerBridge<Api>({ start: () => worker, page: () => pageApi });
    const call = bridge.call(double(3));
    worker.dispatchEvent(new Event('error'));
    expect(await call).toBe(-6);
    expect(worker.terminate).toHaveBeenCalledTimes(1);
    expect(bridge.mode).toBe('page');
    expect(await bridge.call(double(4))).toBe(-8);
  });

  it('after a crash: restarts (calls in flight reject) or stays on the page (calls in flight re-run there)', async () => {
    const workers: FakeWorker[] = [];
    const start = () => {
      const w = fakeWorker({ ...api, wait: () => new Promise(() => undefined) });
      workers.push(w);
      return w;
    };
    const restart = new WorkerBridge<Api>({ start, page: () => pageApi });
    const hung = restart.call({ worker: (a) => a.wait(1), page: (a) => a.wait(1) });
    await restart.call(double(1)); // the worker is ready
    workers[0]!.dispatchEvent(new Event('error'));
    await expect(hung).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(await restart.call(double(2))).toBe(4);
    expect(workers).toHaveLength(2);
    restart.dispose();

    const toPage = new WorkerBridge<Api>({ start, page: () => pageApi, afterCrash: 'page' });
    const inFlight = toPage.call({ worker: (a) => a.wait(1), page: async () => 99 });
    await toPage.call(double(1));
    workers[2]!.dispatchEvent(new Event('error'));
    expect(await inFlight).toBe(99);
    expect(toPage.mode).toBe('page');
  });

  it('shuts down without leaks: dispose terminates, rejects calls in flight and later calls, clears the idle timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const worker = fakeWorker({ ...api, wait: () => new Promise(() => undefined) });
    const bridge = new WorkerBridge<Api>({ start: () => worker, page: () => pageApi });
    await bridge.call(double(1));
    expect(vi.getTimerCount()).toBe(1); // the idle timer
    const hung = bridge.call({ worker: (a) => a.wait(1), page: (a) => a.wait(1) });
    bridge.dispose();
    await expect(hung).rejects.toThrow('disposed');
    expect(worker.terminate).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    await expect(bridge.call(double(1))).rejects.toThrow('disposed');
    bridge.dispose(); // twice is fine
    expect(worker.terminate).toHaveBeenCalledTimes(1);
  });
});
