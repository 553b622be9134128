import { appendFileSync, createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { PoolMemory } from './function-pool.ts';
import type { LambdaEndpoint } from './lambda-endpoint.ts';
import type { InstanceMemory } from './lambda-instance.ts';

/** One reading of where the local runtime's process holds its memory, in bytes. */
export interface MemoryReading {
  /** Milliseconds since the log started. */
  atMs: number;
  /** Resident set of the whole process: main thread, worker threads, native memory. */
  rssBytes: number;
  /** Of the resident set (Linux): private memory, and pages of mapped files (LevelDB maps its tables), which the kernel can drop. */
  rssAnonBytes?: number;
  rssFileBytes?: number;
  /** The main thread: the emulators (dynalite, fauxqs, Step Functions), the endpoints, the CLI. */
  main: InstanceMemory;
  /** Per function with live instances: how many, and what their threads hold together. */
  functions: Record<string, PoolMemory>;
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

  public constructor(
    private readonly path: string,
    private readonly lambda: LambdaEndpoint,
    intervalMs = 2000,
  ) {
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
      ...residentKinds(),
      main: { heapUsedBytes: usage.heapUsed, heapCommittedBytes: usage.heapTotal, externalBytes: usage.external },
      functions: await this.lambda.memory(),
    };
    appendFileSync(this.path, `${JSON.stringify(reading)}\n`);
  }
}

/** RssAnon and RssFile of /proc/self/status, where there is one. */
function residentKinds(): { rssAnonBytes?: number; rssFileBytes?: number } {
  if (!existsSync('/proc/self/status')) return {};
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const [anon, file] = [kib('RssAnon'), kib('RssFile')];
  return { ...(anon === undefined ? {} : { rssAnonBytes: anon }), ...(file === undefined ? {} : { rssFileBytes: file }) };
}

/** The peak of each part over a memory log, in MiB: what `make bench-scale` prints next to the process tree's peak. */
export interface MemoryPeaks {
  rssMiB: number;
  /** The largest private resident memory, and file pages resident at the same reading (Linux). */
  rssAnonMiB: number;
  rssFileMiB: number;
  /** The main thread's V8 heap in use, and its memory outside the heap. */
  mainHeapMiB: number;
  mainExternalMiB: number;
  /** The V8 heap in use of all Lambda instances together, their memory outside it, and the most instances alive at once. */
  instancesHeapMiB: number;
  instancesExternalMiB: number;
  instances: number;
  /** At the reading with the largest resident set: what no V8 heap (committed) or external memory accounts for (native libraries, allocator). */
  nativeAtPeakMiB: number;
  /** The function whose instances held the most heap at the reading where all instances held the most. */
  largestFunction: { name: string; instances: number; heapMiB: number } | undefined;
}

const MIB = 2 ** 20;
const mib = (bytes: number): number => Math.round(bytes / MIB);

/** Reads a memory log line by line (it grows with the run's length) and keeps each part's peak. */
export async function memoryPeaks(path: string): Promise<MemoryPeaks> {
  const peaks: MemoryPeaks = {
    rssMiB: 0,
    rssAnonMiB: 0,
    rssFileMiB: 0,
    mainHeapMiB: 0,
    mainExternalMiB: 0,
    instancesHeapMiB: 0,
    instancesExternalMiB: 0,
    instances: 0,
    nativeAtPeakMiB: 0,
    largestFunction: undefined,
  };
  let largestRss = -1;
  let largestHeap = -1;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const reading = JSON.parse(line) as MemoryReading;
    const pools = Object.entries(reading.functions);
    const sum = (part: keyof PoolMemory): number => pools.reduce((total, [, pool]) => total + pool[part], 0);
    if (reading.rssAnonBytes !== undefined && mib(reading.rssAnonBytes) > peaks.rssAnonMiB) {
      peaks.rssAnonMiB = mib(reading.rssAnonBytes);
      peaks.rssFileMiB = mib(reading.rssFileBytes ?? 0);
    }
    peaks.mainHeapMiB = Math.max(peaks.mainHeapMiB, mib(reading.main.heapUsedBytes));
    peaks.mainExternalMiB = Math.max(peaks.mainExternalMiB, mib(reading.main.externalBytes));
    peaks.instancesExternalMiB = Math.max(peaks.instancesExternalMiB, mib(sum('externalBytes')));
    peaks.instances = Math.max(peaks.instances, sum('instances'));
    if (reading.rssBytes > largestRss) {
      largestRss = reading.rssBytes;
      peaks.rssMiB = mib(reading.rssBytes);
      const accounted = reading.main.heapCommittedBytes + reading.main.externalBytes + sum('heapCommittedBytes') + sum('externalBytes');
      peaks.nativeAtPeakMiB = mib(reading.rssBytes - accounted);
    }
    if (sum('heapUsedBytes') > largestHeap) {
      largestHeap = sum('heapUsedBytes');
      peaks.instancesHeapMiB = mib(largestHeap);
      const [name, pool] = pools.sort((a, b) => b[1].heapUsedBytes - a[1].heapUsedBytes)[0] ?? [];
      peaks.largestFunction = name && pool ? { name, instances: pool.instances, heapMiB: mib(pool.heapUsedBytes) } : undefined;
    }
  }
  return peaks;
}
