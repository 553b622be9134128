import { readdirSync, readFileSync } from 'node:fs';

/** Pages of this size make up the resident set in /proc/<pid>/statm (x86-64 Linux). */
const PAGE_BYTES = 4096;

function parentOf(pid: number): number | undefined {
  try {
    // The command name (field 2) is in parentheses and may hold spaces: the fields after its last ')' are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function residentBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
  } catch {
    return 0;
  }
}

/** The pids of the roots and every process below them, now. */
export function processTree(roots: readonly number[]): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) parents.set(pid, parent);
  }
  const tree = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!tree.has(pid) && tree.has(parent)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/**
 * Samples the resident memory of whole process trees (a process, its
 * children and theirs; worker threads count in their process) at a fixed
 * interval and keeps the peak of their sum: what `make bench-scale` reports
 * as the memory of a run. Linux only (/proc).
 */
export class ProcessTreeMemory {
  #peak = 0;
  #samples = 0;
  #timer: NodeJS.Timeout | undefined;

  public constructor(
    private readonly roots: () => readonly number[],
    private readonly intervalMs = 1000,
  ) {}

  /** Starts sampling. */
  public start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), this.intervalMs);
    this.#timer.unref();
  }

  /** Takes one sample now and returns the tree's resident bytes. */
  public sample(): number {
    const bytes = processTree(this.roots()).reduce((sum, pid) => sum + residentBytes(pid), 0);
    this.#peak = Math.max(this.#peak, bytes);
    this.#samples += 1;
    return bytes;
  }

  /** Stops sampling and returns the peak and the number of samples. */
  public stop(): { peakBytes: number; samples: number } {
    clearInterval(this.#timer);
    return { peakBytes: this.#peak, samples: this.#samples };
  }
}
