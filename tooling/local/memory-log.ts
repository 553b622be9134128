import { appendFileSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LambdaEndpoint } from './lambda-endpoint.ts';

/** One reading of where the local runtime's process holds its memory, in bytes. */
export interface MemoryReading {
  /** Milliseconds since the log started. */
  atMs: number;
  /** Resident set of the whole process (main thread, worker threads, native memory). */
  rssBytes: number;
  /** V8 heap of the main thread: the emulators (dynalite, fauxqs, Step Functions), the endpoints, the CLI. */
  mainHeapUsedBytes: number;
  /** Memory outside the main thread's V8 heap that its JS objects hold (Buffers, sqlite and LevelDB handles). */
  externalBytes: number;
  /** Per function with live instances: how many, and their V8 heap together. */
  functions: Record<string, { instances: number; heapUsedBytes: number }>;
}

/**
 * Samples the local runtime's memory at a fixed interval and appends each
 * reading as one JSON line to a file (`LOCAL_MEMORY_LOG`): how `make
 * bench-scale` tells the emulators' heap from the Lambda instances' and
 * from native memory. One line per reading, nothing kept in memory.
 */
export class MemoryLog {
  readonly #started = Date.now();
  readonly #timer: NodeJS.Timeout;
  #reading: Promise<void> = Promise.resolve();

  public constructor(private readonly path: string, private readonly lambda: LambdaEndpoint, intervalMs = 2000) {
    this.#timer = setInterval(() => {
      this.#reading = this.#reading.then(() => this.#write());
    }, intervalMs);
    this.#timer.unref();
  }

  /** Writes a last reading and stops. */
  public async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#reading;
    await this.#write();
  }

  async #write(): Promise<void> {
    const usage = process.memoryUsage();
    const reading: MemoryReading = {
      atMs: Date.now() - this.#started,
      rssBytes: usage.rss,
      mainHeapUsedBytes: usage.heapUsed,
      externalBytes: usage.external,
      functions: await this.lambda.memory(),
    };
    appendFileSync(this.path, `${JSON.stringify(reading)}\n`);
  }
}

/** The peak of each part over a memory log, in MiB: what `make bench-scale` prints next to the process tree's peak. */
export interface MemoryPeaks {
  rssMiB: number;
  mainHeapMiB: number;
  externalMiB: number;
  /** The largest V8 heap of all Lambda instances together, and the most instances alive at once. */
  instancesHeapMiB: number;
  instances: number;
  /** The function whose instances held the most heap at the reading with the largest total. */
  largestFunction: { name: string; instances: number; heapMiB: number } | undefined;
}

const MIB = 2 ** 20;

/** Reads a memory log line by line (it grows with the run's length) and keeps each part's peak. */
export async function memoryPeaks(path: string): Promise<MemoryPeaks> {
  const peaks: MemoryPeaks = { rssMiB: 0, mainHeapMiB: 0, externalMiB: 0, instancesHeapMiB: 0, instances: 0, largestFunction: undefined };
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const reading = JSON.parse(line) as MemoryReading;
    const functions = Object.entries(reading.functions);
    const heap = functions.reduce((sum, [, usage]) => sum + usage.heapUsedBytes, 0);
    peaks.rssMiB = Math.max(peaks.rssMiB, Math.round(reading.rssBytes / MIB));
    peaks.mainHeapMiB = Math.max(peaks.mainHeapMiB, Math.round(reading.mainHeapUsedBytes / MIB));
    peaks.externalMiB = Math.max(peaks.externalMiB, Math.round(reading.externalBytes / MIB));
    peaks.instances = Math.max(peaks.instances, functions.reduce((sum, [, usage]) => sum + usage.instances, 0));
    if (heap / MIB > peaks.instancesHeapMiB) {
      peaks.instancesHeapMiB = Math.round(heap / MIB);
      const [name, usage] = functions.sort((a, b) => b[1].heapUsedBytes - a[1].heapUsedBytes)[0] ?? [];
      peaks.largestFunction = name && usage ? { name, instances: usage.instances, heapMiB: Math.round(usage.heapUsedBytes / MIB) } : undefined;
    }
  }
  return peaks;
}
