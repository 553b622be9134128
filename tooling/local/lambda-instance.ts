import { Worker } from 'node:worker_threads';
import { INIT_TIMEOUT_MS } from './constants.ts';
import type { MetricsLog } from './metrics-log.ts';
import type { FunctionErrorPayload, InvocationContext, WorkerMessage } from './types.ts';

/** What one invocation on an instance came to. `fatal`: the instance is gone and must not be reused. */
export type InstanceOutcome = { ok: true; payload: string } | { ok: false; error: FunctionErrorPayload; fatal: boolean };

type Settle = (outcome: InstanceOutcome) => void;

/** What one instance's thread holds, in bytes. */
export interface InstanceMemory {
  heapUsedBytes: number;
  heapCommittedBytes: number;
  externalBytes: number;
}

const NO_MEMORY: InstanceMemory = { heapUsedBytes: 0, heapCommittedBytes: 0, externalBytes: 0 };

const WORKER_URL = new URL('./lambda-worker.ts', import.meta.url);

function failure(errorType: string, errorMessage: string, fatal = true): InstanceOutcome {
  return { ok: false, error: { errorType, errorMessage, trace: [] }, fatal };
}

/**
 * One execution environment of a function: a worker thread holding the
 * handler module, created cold and kept warm between invocations. Runs one
 * invocation at a time; a timeout or crash terminates it.
 */
export class LambdaInstance {
  /** The instance's log stream name; distinguishes instances as on Lambda. */
  public readonly logStreamName: string;
  readonly #worker: Worker;
  readonly #ready: Promise<InstanceOutcome>;
  #settle: Settle | undefined;
  #dead = false;

  /**
   * Starts the worker, which imports the bundle at once (the init phase).
   *
   * @param logStreamName - the instance's log stream name
   * @param bundlePath - absolute path of the ESM bundle
   * @param handler - exported handler name
   * @param env - the worker's whole `process.env` (workers would otherwise get a copy of the host's)
   * @param metricsLog - where the EMF lines it writes on stdout go; none: they stay on stdout
   */
  public constructor(logStreamName: string, bundlePath: string, handler: string, env: Record<string, string>, metricsLog?: MetricsLog) {
    this.logStreamName = logStreamName;
    // No execArgv: the host's loaders (tsx) have no business in a Lambda; Node strips the worker's types itself.
    this.#worker = new Worker(WORKER_URL, { workerData: { bundlePath, handler, metrics: metricsLog !== undefined }, env, execArgv: [] });
    this.#ready = new Promise<InstanceOutcome>((resolve) => {
      this.#settle = resolve;
    });
    this.#worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'metrics') {
        metricsLog?.append(message.line);
        return;
      }
      const settle = this.#take();
      switch (message.kind) {
        case 'ready':
          settle?.({ ok: true, payload: '' });
          return;
        case 'result':
          settle?.({ ok: true, payload: message.payload });
          return;
        case 'init-error':
          this.terminate();
          settle?.({ ok: false, error: message.error, fatal: true });
          return;
        case 'error':
          settle?.({ ok: false, error: message.error, fatal: false });
      }
    });
    // An exception nobody awaited (a stray rejection) kills the environment, as it does the Node.js runtime.
    this.#worker.on('error', (error: Error) => {
      this.#dead = true;
      this.#take()?.({
        ok: false,
        error: { errorType: error.name || 'Error', errorMessage: error.message, trace: (error.stack ?? '').split('\n') },
        fatal: true,
      });
    });
    this.#worker.on('exit', (code) => {
      this.#dead = true;
      this.#take()?.(failure('Runtime.ExitError', `Runtime exited with error: exit status ${code}`));
    });
  }

  /** Settles when the init phase has ended, well or not. */
  public get initialised(): Promise<unknown> {
    return this.#ready;
  }

  /** False once the worker terminated, crashed or failed to initialise. */
  public get alive(): boolean {
    return !this.#dead;
  }

  /**
   * Runs one invocation. Waits for init first, as Lambda does: the init
   * phase gets 10 s; an init still running then goes on inside the
   * invocation under the function's timeout (Lambda's suppressed init), so a
   * slow init on a loaded machine is not a failure of its own. The handler
   * gets what is left of `timeoutMs`; on expiry, in init or handler, the
   * worker is terminated and the answer is Lambda's `Sandbox.Timedout`.
   */
  public async invoke(payload: string, context: Omit<InvocationContext, 'deadlineMs'>, timeoutMs: number): Promise<InstanceOutcome> {
    const timedOut = (): InstanceOutcome =>
      failure('Sandbox.Timedout', `RequestId: ${context.awsRequestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    let init = await this.#settledWithin(this.#ready, INIT_TIMEOUT_MS);
    const deadlineMs = Date.now() + timeoutMs;
    init ??= await this.#within(this.#ready, timeoutMs, timedOut);
    if (!init.ok) return init;
    const done = new Promise<InstanceOutcome>((resolve) => {
      this.#settle = resolve;
    });
    this.#worker.postMessage({ payload, context: { ...context, deadlineMs } });
    return this.#within(done, deadlineMs - Date.now(), timedOut);
  }

  /** What this instance's thread holds, in bytes: V8 heap in use, heap committed, and memory outside it (Buffers); zeros once it is gone. */
  public async memory(): Promise<InstanceMemory> {
    if (this.#dead) return NO_MEMORY;
    try {
      const heap = await this.#worker.getHeapStatistics();
      return { heapUsedBytes: heap.used_heap_size, heapCommittedBytes: heap.total_physical_size, externalBytes: heap.external_memory };
    } catch {
      // The worker ended between the check and the answer.
      return NO_MEMORY;
    }
  }

  /** Stops the worker at once. */
  public terminate(): void {
    this.#dead = true;
    void this.#worker.terminate();
  }

  #take(): Settle | undefined {
    const settle = this.#settle;
    this.#settle = undefined;
    return settle;
  }

  /** The outcome if it settles within `ms`, else undefined (the work goes on). */
  async #settledWithin(outcome: Promise<InstanceOutcome>, ms: number): Promise<InstanceOutcome | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    try {
      return await Promise.race([outcome, elapsed]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #within(outcome: Promise<InstanceOutcome>, ms: number, onTimeout: () => InstanceOutcome): Promise<InstanceOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<InstanceOutcome>((resolve) => {
      timer = setTimeout(() => {
        this.#settle = undefined;
        this.terminate();
        resolve(onTimeout());
      }, ms);
    });
    try {
      return await Promise.race([outcome, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
