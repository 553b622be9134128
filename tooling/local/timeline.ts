/** Where a run's time goes: what `make bench` prints, measured on the embedded runtime. */

/** The parts of a run the timeline tells apart. */
export type TimelinePart = 'flow' | 'lambda' | 'queue' | 'dynamodb' | 'target';

/** One line of the timeline: one kind of work of one part. */
export interface TimelineLine {
  part: TimelinePart;
  /** What it was: a state machine, a function, a queue, a DynamoDB operation, a target collection. */
  name: string;
  /** How many spans (executions, invocations, messages, requests). */
  count: number;
  /** Sum of the spans' durations: more than the wall time when they overlap. */
  totalMs: number;
  /** Wall time during which at least one span of this line was under way (to {@link BUCKET_MS}). */
  busyMs: number;
  /** First start and last end, from the timeline's origin. */
  firstMs: number;
  lastMs: number;
}

/** The whole timeline, ready to print or write. */
export interface TimelineSummary {
  wallMs: number;
  lines: TimelineLine[];
  /** Busy wall time per part (any line of it under way). */
  parts: Record<TimelinePart, number>;
}

/** Resolution of the busy time: spans are counted per bucket of this many ms, so memory stays bounded by the run's length, not its records. */
const BUCKET_MS = 50;

interface Tally {
  count: number;
  totalMs: number;
  first: number;
  last: number;
  buckets: Set<number>;
}

function bucketsOf(start: number, end: number, into: Set<number>): void {
  for (let b = Math.floor(start / BUCKET_MS); b <= Math.floor(Math.max(start, end - 1) / BUCKET_MS); b += 1) into.add(b);
}

/**
 * A run's timeline: spans of work recorded by the local runtime's parts as
 * they happen (state machine executions, Lambda invocations, messages'
 * time in their queue, DynamoDB requests) and by the caller (the target's
 * request log), summed per part and name. Nothing per record is kept: a
 * tally per line and a set of busy buckets.
 */
export class RunTimeline {
  readonly #tallies = new Map<string, Tally>();
  readonly #parts = new Map<TimelinePart, Set<number>>();
  #origin: number | undefined;
  #end = 0;

  /** Starts the clock (the run's start); spans before it are clipped to it. */
  public begin(at = Date.now()): void {
    this.#origin = at;
  }

  /** Records one span of work (epoch milliseconds). */
  public record(part: TimelinePart, name: string, start: number, end: number): void {
    if (this.#origin === undefined) return;
    const from = Math.max(start, this.#origin) - this.#origin;
    const to = Math.max(end, start, this.#origin) - this.#origin;
    const key = `${part}\u0000${name}`;
    const tally = this.#tallies.get(key) ?? { count: 0, totalMs: 0, first: from, last: to, buckets: new Set<number>() };
    tally.count += 1;
    tally.totalMs += to - from;
    tally.first = Math.min(tally.first, from);
    tally.last = Math.max(tally.last, to);
    bucketsOf(from, to, tally.buckets);
    this.#tallies.set(key, tally);
    const part_ = this.#parts.get(part) ?? new Set<number>();
    bucketsOf(from, to, part_);
    this.#parts.set(part, part_);
    this.#end = Math.max(this.#end, to);
  }

  /** Records a span that starts now: call the returned function when it ends. */
  public start(part: TimelinePart, name: string): () => void {
    const started = Date.now();
    return () => this.record(part, name, started, Date.now());
  }

  /** The timeline so far, lines in order of their first start. */
  public summary(wallMs = this.#end): TimelineSummary {
    const lines: TimelineLine[] = [...this.#tallies].map(([key, tally]) => {
      const [part, name] = key.split('\u0000') as [TimelinePart, string];
      return { part, name, count: tally.count, totalMs: tally.totalMs, busyMs: tally.buckets.size * BUCKET_MS, firstMs: tally.first, lastMs: tally.last };
    });
    lines.sort((a, b) => a.firstMs - b.firstMs || a.part.localeCompare(b.part) || a.name.localeCompare(b.name));
    const parts = { flow: 0, lambda: 0, queue: 0, dynamodb: 0, target: 0 } satisfies Record<TimelinePart, number>;
    for (const [part, buckets] of this.#parts) parts[part] = buckets.size * BUCKET_MS;
    return { wallMs, lines, parts };
  }
}

/** The timeline as plain lines: the parts' busy share of the wall time, then every line. */
export function formatTimeline(summary: TimelineSummary): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const share = (ms: number) => `${Math.round((100 * ms) / Math.max(1, summary.wallMs))}%`;
  const out = [
    `wall ${s(summary.wallMs)}; busy: ${Object.entries(summary.parts)
      .map(([part, ms]) => `${part} ${s(ms)} (${share(ms)})`)
      .join(', ')}`,
  ];
  out.push(
    `${'part'.padEnd(9)}${'name'.padEnd(34)}${'count'.padStart(8)}${'first'.padStart(9)}${'last'.padStart(9)}${'busy'.padStart(9)}${'total'.padStart(10)}`,
  );
  for (const line of summary.lines) {
    out.push(
      `${line.part.padEnd(9)}${line.name.slice(0, 33).padEnd(34)}${String(line.count).padStart(8)}${s(line.firstMs).padStart(9)}${s(line.lastMs).padStart(9)}${s(line.busyMs).padStart(9)}${s(line.totalMs).padStart(10)}`,
    );
  }
  return out;
}
