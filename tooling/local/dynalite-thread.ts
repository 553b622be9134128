import { Worker } from 'node:worker_threads';
import { DynaliteThreadError } from './errors.ts';
import type { InstanceMemory } from './lambda-instance.ts';
import type { RunTimeline } from './timeline.ts';
import type { DynaliteThreadData, DynaliteThreadMessage, DynaliteThreadRequest } from './types.ts';

const WORKER_URL = new URL('./dynalite-worker.ts', import.meta.url);

interface ThreadStatus {
  started: boolean;
  closing: boolean;
}

/**
 * dynalite on a worker thread of its own. On the main thread it shared one
 * core with fauxqs, Step Functions and the endpoints, and a CPU profile of a
 * loaded run found about 40% of that thread in dynalite (its JavaScript and
 * LevelDB's native get and put): every DynamoDB call of every Lambda
 * instance waited behind queue and workflow work, and the other core sat
 * half idle. Its own thread lets both cores work. One thread per LevelDB
 * directory, as before (the data directory's lock).
 */
export class DynaliteThread {
  readonly #worker: Worker;
  readonly #closed: Promise<void>;
  /** Shared with the thread's event handlers, which outlive start(). */
  readonly #status: ThreadStatus;

  private constructor(worker: Worker, closed: Promise<void>, status: ThreadStatus) {
    this.#worker = worker;
    this.#closed = closed;
    this.#status = status;
  }

  /**
   * Starts the thread and resolves once dynalite listens. Rejects with
   * {@link DynaliteThreadError} when it cannot (a taken port: code
   * `EADDRINUSE`), the thread then gone.
   *
   * @param options - LevelDB directory, address, and the timeline that gets each request's span
   */
  public static async start(options: { path: string; host: string; port: number; timeline?: RunTimeline }): Promise<DynaliteThread> {
    const data: DynaliteThreadData = { path: options.path, host: options.host, port: options.port, timeline: options.timeline !== undefined };
    // No execArgv: Node strips the worker's types itself, as for the Lambda instances.
    const worker = new Worker(WORKER_URL, { workerData: data, execArgv: [] });
    const timeline = options.timeline;
    const status: ThreadStatus = { started: false, closing: false };
    const listening = new Promise<void>((done, fail) => {
      worker.on('message', (message: DynaliteThreadMessage) => {
        if (message.kind === 'spans') {
          for (const [operation, start, end] of message.spans) timeline?.record('dynamodb', operation, start, end);
        } else if (message.kind === 'listening') {
          done();
        } else if (message.kind === 'failed') {
          // After the start only closing can fail: said, since close() itself only waits for the thread to end.
          if (status.started) process.stderr.write(`local runtime: dynalite failed closing its store: ${message.message}\n`);
          fail(new DynaliteThreadError(message.message, { code: message.code }));
        }
      });
      worker.on('error', (error) => fail(new DynaliteThreadError(error.message, { code: (error as NodeJS.ErrnoException).code ?? '' })));
    });
    const closed = new Promise<void>((done) => {
      worker.on('exit', (code) => {
        // Only an exit nobody asked for is news: every DynamoDB call of the run fails from here on.
        if (status.started && !status.closing) {
          process.stderr.write(`local runtime: the dynalite thread stopped (exit code ${code}); DynamoDB calls fail from now on\n`);
          process.exitCode = 1;
        }
        done();
      });
    });
    try {
      await Promise.race([listening, closed.then(() => Promise.reject(new DynaliteThreadError('the dynalite thread exited before it listened', { code: '' })))]);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    status.started = true;
    return new DynaliteThread(worker, closed, status);
  }

  /** Closes dynalite (its LevelDB store is flushed) and waits for the thread to end. */
  public async close(): Promise<void> {
    if (!this.#status.closing) {
      this.#status.closing = true;
      const request: DynaliteThreadRequest = { kind: 'close' };
      this.#worker.postMessage(request);
    }
    await this.#closed;
  }

  /** What the thread holds, in bytes: V8 heap in use, heap committed, memory outside it; zeros once it is gone. */
  public async memory(): Promise<InstanceMemory> {
    try {
      const heap = await this.#worker.getHeapStatistics();
      return { heapUsedBytes: heap.used_heap_size, heapCommittedBytes: heap.total_physical_size, externalBytes: heap.external_memory };
    } catch {
      return { heapUsedBytes: 0, heapCommittedBytes: 0, externalBytes: 0 };
    }
  }
}
