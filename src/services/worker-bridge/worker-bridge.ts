/**
 * One way for the page to use a dedicated worker (docs/architecture.md, "The worker bridge").
 * Built on comlink, which turns the worker's exposed object into a typed `Remote<T>` whose methods
 * return promises (request ids, replies, transfer lists, `Comlink.transfer`). This helper adds what
 * every worker of the app needs around it:
 *
 * - **page fallback**: where `supported()` says no (no `Worker`, no `OffscreenCanvas`…), where the
 *   worker cannot be constructed, or where its script fails before it says it is ready
 *   (expose-worker.ts), every call runs `job.page` on the page's implementation of the same API;
 * - **AbortSignal**: an aborted call rejects at once with the signal's reason (an `AbortError`);
 *   a late result is handed to `discard` (e.g. to close ImageBitmaps) and otherwise dropped; with
 *   `abortTerminates`, a worker busy with nothing but the aborted call is terminated (synchronous
 *   work cannot be interrupted any other way) and a new one starts on the next call;
 * - **error mapping**: errors thrown in the worker arrive as the registered app error classes
 *   (worker-errors.ts, `registerWorkerError`);
 * - **crashes**: an error event after start stops the worker; calls in flight reject with a
 *   `WorkerCrashedError` and the next call starts a new worker (`afterCrash: 'restart'`), or they
 *   run again on the page, as does every later call (`afterCrash: 'page'`, for jobs whose arguments
 *   are not transferred away);
 * - **idle termination**: a worker with no call in flight for `idleMs` is terminated and started
 *   again on the next call (DEFAULT_IDLE_MS says why 30 s).
 */
import { releaseProxy, wrap, type Endpoint, type Remote } from 'comlink';
import { isReadyMessage } from './expose-worker.js';
import './worker-errors.js';

export { proxy, transfer, type Remote } from 'comlink';
export { registerWorkerError } from './worker-errors.js';

/**
 * How long a worker may sit idle before it is terminated: 30 s. Longer than any gap inside one job
 * (chunks of a batch follow each other within milliseconds; a reviewer adds the next field photo
 * within seconds), so a session keeps its warm worker; short enough that an app left open on a
 * phone does not hold a thread, its heap and canvas memory for nothing. Restarting costs one module
 * worker start (tens of ms, the script is cached), paid once at the next use.
 */
export const DEFAULT_IDLE_MS = 30_000;

/** A started worker: comlink's endpoint plus `terminate` (a `Worker` is one). */
export interface WorkerEndpoint extends Endpoint {
  terminate(): void;
}

export interface WorkerBridgeOptions<P> {
  /** Starts the worker (`new Worker(new URL('./x.worker.ts', import.meta.url), …)`); may throw. */
  start(): WorkerEndpoint;
  /** The same API on the page (loaded the first time it is needed). */
  page(): P | Promise<P>;
  /** False where the worker cannot do its work (no Worker / OffscreenCanvas): the page is used. */
  supported?(): boolean;
  /** Terminate after this long without a call in flight (DEFAULT_IDLE_MS). */
  idleMs?: number;
  /** After a crash: start a new worker next time ('restart', default) or stay on the page. */
  afterCrash?: 'restart' | 'page';
  /** An aborted call terminates the worker when it was the only call in flight. */
  abortTerminates?: boolean;
}

/** One call, written for both places it may run. */
export interface BridgeJob<W, P, R> {
  worker(api: Remote<W>): Promise<R>;
  page(api: P): Promise<R>;
}

export interface CallOptions<R> {
  signal?: AbortSignal;
  /** Frees a result that arrives after the call was aborted. */
  discard?(late: R): void;
}

export type BridgeMode = 'worker' | 'page';

/** The worker died (error event) while a call was in flight. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

type StopKind = 'start-failed' | 'crashed' | 'terminated';

class WorkerStopped extends Error {
  constructor(
    readonly kind: StopKind,
    message: string,
  ) {
    super(message);
  }
}

interface Running<W> {
  endpoint: WorkerEndpoint;
  remote: Remote<W>;
  ready: Promise<void>;
  isReady: boolean;
  /** Rejects (WorkerStopped) when the worker fails, crashes or is terminated. */
  stopped: Promise<never>;
  stop(kind: StopKind, message: string): void;
  stoppedWith: WorkerStopped | null;
  busy: number;
}

interface Attempt<W> {
  worker: Running<W> | null;
}

/** The rejection of an aborted call: the signal's reason, an AbortError DOMException by default. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export class WorkerBridge<W, P = W> {
  private running: Running<W> | null = null;
  private fallenBack = false;
  private disposed = false;
  private pageApi: Promise<P> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly idleMs: number;

  constructor(private readonly options: WorkerBridgeOptions<P>) {
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** 'worker' while calls go (or will go) to the worker, 'page' once they run on the page. */
  get mode(): BridgeMode {
    if (this.fallenBack || this.options.supported?.() === false) return 'page';
    return 'worker';
  }

  /** True while a worker is started. */
  get started(): boolean {
    return this.running !== null;
  }

  /** Starts the worker ahead of the first call (it is still terminated when idle). */
  warm(): void {
    if (this.disposed || this.running) return;
    if (this.current()) this.scheduleIdle();
  }

  /** Runs `job` in the worker, or on the page (see the module comment). */
  call<R>(job: BridgeJob<W, P, R>, options: CallOptions<R> = {}): Promise<R> {
    if (this.disposed) return Promise.reject(new Error('The worker bridge was disposed.'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const attempt: Attempt<W> = { worker: null };
    const work = this.run(job, attempt);
    if (!signal) return work;
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        reject(abortReason(signal));
        const w = attempt.worker;
        if (w && this.options.abortTerminates && w.busy === 1) w.stop('terminated', 'The call was aborted.');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) options.discard?.(r);
          else {
            settled = true;
            resolve(r);
          }
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (!settled) {
            settled = true;
            reject(err);
          }
        },
      );
    });
  }

  /** Terminates the worker; calls in flight reject, later calls reject. */
  dispose(): void {
    this.disposed = true;
    this.clearIdle();
    this.running?.stop('terminated', 'The worker bridge was disposed.');
    this.running = null;
  }

  private async run<R>(job: BridgeJob<W, P, R>, attempt: Attempt<W>): Promise<R> {
    for (;;) {
      if (this.disposed) throw new Error('The worker bridge was disposed.');
      const w = this.current();
      if (!w) return job.page(await this.loadPage());
      attempt.worker = w;
      w.busy++;
      this.clearIdle();
      try {
        await Promise.race([w.ready, w.stopped]);
        // Stopped between its ready message and now (its proxy is released): same as stopped.
        if (w.stoppedWith) throw w.stoppedWith;
        return await Promise.race([job.worker(w.remote), w.stopped]);
      } catch (err) {
        if (err instanceof WorkerStopped) {
          // The worker never started, or crashed with afterCrash 'page': this call runs on the page.
          if (this.fallenBack && err.kind !== 'terminated') continue;
          throw err.kind === 'crashed' ? new WorkerCrashedError(err.message) : new Error(err.message);
        }
        throw err;
      } finally {
        attempt.worker = null;
        w.busy--;
        if (w.busy === 0 && this.running === w) this.scheduleIdle();
      }
    }
  }

  private loadPage(): Promise<P> {
    this.pageApi ??= Promise.resolve()
      .then(() => this.options.page())
      .catch((err: unknown) => {
        this.pageApi = null;
        throw err;
      });
    return this.pageApi;
  }

  /** The started worker, a newly started one, or null when calls run on the page. */
  private current(): Running<W> | null {
    if (this.running) return this.running;
    if (this.fallenBack) return null;
    if (this.options.supported?.() === false) {
      this.fallenBack = true;
      return null;
    }
    let endpoint: WorkerEndpoint;
    try {
      endpoint = this.options.start();
    } catch {
      this.fallenBack = true;
      return null;
    }
    this.running = this.track(endpoint);
    return this.running;
  }

  private track(endpoint: WorkerEndpoint): Running<W> {
    let markReady!: () => void;
    let markStopped!: (e: WorkerStopped) => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const stopped = new Promise<never>((_, reject) => (markStopped = reject));
    stopped.catch(() => undefined); // observed by the calls in flight, if any
    const remote = wrap<W>(endpoint);
    const onMessage = (ev: Event) => {
      if (!isReadyMessage((ev as MessageEvent).data)) return;
      w.isReady = true;
      endpoint.removeEventListener('message', onMessage);
      markReady();
    };
    const onError = (ev: Event) => {
      ev.preventDefault();
      const message = (ev as Partial<ErrorEvent>).message || 'the worker failed';
      if (!w.isReady) {
        this.fallenBack = true;
        w.stop('start-failed', `The worker could not start: ${message}`);
      } else {
        if (this.options.afterCrash === 'page') this.fallenBack = true;
        w.stop('crashed', `The worker stopped: ${message}`);
      }
    };
    const w: Running<W> = {
      endpoint,
      remote,
      ready,
      isReady: false,
      stopped,
      busy: 0,
      stoppedWith: null,
      stop: (kind, message) => {
        if (w.stoppedWith) return;
        w.stoppedWith = new WorkerStopped(kind, message);
        endpoint.removeEventListener('message', onMessage);
        endpoint.removeEventListener('error', onError);
        endpoint.removeEventListener('messageerror', onError);
        // Drops comlink's pending replies (they would never come) and its finalizer entry.
        try {
          remote[releaseProxy]();
        } catch {
          /* already released */
        }
        endpoint.terminate();
        if (this.running === w) {
          this.running = null;
          this.clearIdle();
        }
        markStopped(w.stoppedWith);
      },
    };
    endpoint.addEventListener('message', onMessage);
    endpoint.addEventListener('error', onError);
    endpoint.addEventListener('messageerror', onError);
    return w;
  }

  private scheduleIdle(): void {
    this.clearIdle();
    const w = this.running;
    if (!w || this.idleMs === Infinity) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.running === w && w.busy === 0) w.stop('terminated', 'The worker was idle.');
    }, this.idleMs);
  }

  private clearIdle(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
