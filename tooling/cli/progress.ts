import cliProgress from 'cli-progress';
import { definitionOf } from '../../src/domain/collections/index.ts';
import { type Collection, COLLECTIONS } from '../../src/domain/index.ts';
import type { CollectionProgress } from '../../src/ledger/index.ts';
import { formatCount, formatDuration } from './estimate.ts';

/** Records per second under which a line shows no ETA (it prints as 0.0/s). */
const STALLED_RATE = 0.05;

/** One look at a run: its execution status and the counters of each collection. */
export interface ProgressSnapshot {
  status: string;
  collections: Partial<Record<Collection, CollectionProgress>>;
}

/** Options of {@link ProgressView}. */
export interface ProgressViewOptions {
  /** Least time between two plain lines (no terminal). Default 30 s, so a CI log stays readable. */
  lineIntervalMs?: number;
  /** Milliseconds since the epoch; injected by tests. */
  clock?: () => number;
  /**
   * Records per collection counted before the run, so the overall line covers
   * collections the run has not reached yet, and a collection's line does not
   * shrink to the pages its producers have read so far: the larger of the two
   * is its total until its producers are done (see {@link totalOf}).
   */
  planned?: Partial<Record<Collection, number>>;
}

interface Rate {
  at: number;
  done: number;
  perSecond: number;
}

/** The key of the overall line among the per-collection rates. */
const OVERALL = 'all';

/** The collections whose records point at each collection: their flows start once its records are all done. */
const DEPENDANTS = Object.fromEntries(
  COLLECTIONS.map((collection) => [
    collection,
    COLLECTIONS.filter((other) => other !== collection && definitionOf(other).parents.some((parent) => parent.collection === collection)),
  ]),
) as Record<Collection, Collection[]>;

/** Records with an outcome: what a collection has done so far (a delta's unchanged rows count as already migrated). */
export function doneOf(progress: CollectionProgress): number {
  return progress.migrated + progress.updated + progress.unchanged + progress.failed + progress.skipped + progress.alreadyMigrated;
}

/**
 * Live progress: one overall line (done/total over every collection, rate,
 * ETA) above one line per collection. Progress bars on a terminal; plain
 * lines otherwise (CI, logs), the overall line first, printed when
 * something changed and at most every `lineIntervalMs`.
 */
export class ProgressView {
  private readonly rates = new Map<string, Rate>();
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private readonly multibar?: cliProgress.MultiBar;
  private readonly lineIntervalMs: number;
  private readonly clock: () => number;
  private readonly planned: Partial<Record<Collection, number>>;
  private lastLine: number | undefined;
  private lastText = '';

  public constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    options: ProgressViewOptions = {},
  ) {
    this.lineIntervalMs = options.lineIntervalMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
    this.planned = options.planned ?? {};
    if (out.isTTY) {
      this.multibar = new cliProgress.MultiBar(
        {
          stream: out,
          clearOnComplete: false,
          hideCursor: true,
          format: ' {collection} [{bar}] {value}/{total} {rate}/s ETA {eta_text} {detail}',
          barsize: 30,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  /** Shows a new snapshot. */
  public update(snapshot: ProgressSnapshot, now = this.clock()): void {
    const rows: { name: string; done: number; total: number; detail: string }[] = [];
    for (const collection of COLLECTIONS) {
      const progress = snapshot.collections[collection];
      if (!progress || progress.source === 0) continue;
      const total = this.totalOf(collection, snapshot);
      rows.push({
        name: collection,
        done: doneOf(progress),
        total,
        detail: `migrated ${progress.migrated}, updated ${progress.updated}, already ${progress.alreadyMigrated + progress.unchanged}, skipped ${progress.skipped}, failed ${progress.failed}`,
      });
    }
    const total = COLLECTIONS.reduce((sum, collection) => sum + this.totalOf(collection, snapshot), 0);
    const done = rows.reduce((sum, row) => sum + row.done, 0);
    if (total === 0) return;
    // The update pass re-reads the work orders' rows: its outcomes are counted as its own, so the overall total exceeds the estimate's records.
    const updatePass =
      (this.planned['work-order-updates'] ?? snapshot.collections['work-order-updates']?.source ?? 0) > 0
        ? ', the work-order update pass counted as its own'
        : '';
    const lines = [{ name: OVERALL, done, total, detail: `${rows.length} of ${this.collectionCount(snapshot)} collections started${updatePass}` }, ...rows].map(
      (row) => {
        const rate = this.rateOf(row.name, row.done, now);
        // The smoothed rate of a stalled run decays without reaching 0: below what prints as 0.0/s there is no ETA.
        const eta = rate >= STALLED_RATE ? (row.total - row.done) / rate : Number.NaN;
        return { ...row, rate, eta: row.done >= row.total ? 'done' : Number.isNaN(eta) ? '--' : formatDuration(eta) };
      },
    );
    if (this.multibar) {
      for (const line of lines) {
        let bar = this.bars.get(line.name);
        if (!bar) {
          bar = this.multibar.create(line.total, 0, { collection: line.name.padEnd(18) });
          this.bars.set(line.name, bar);
        }
        bar.setTotal(line.total);
        bar.update(line.done, { collection: line.name.padEnd(18), rate: line.rate.toFixed(1), eta_text: line.eta, detail: line.detail });
      }
      return;
    }
    const text = lines
      .map((line) => `${line.name} ${formatCount(line.done)}/${formatCount(line.total)} ${line.rate.toFixed(1)}/s ETA ${line.eta} (${line.detail})`)
      .join('\n');
    if (text !== this.lastText && (this.lastLine === undefined || now - this.lastLine >= this.lineIntervalMs)) {
      this.out.write(`[${new Date(now).toISOString()}] ${snapshot.status}\n${text}\n`);
      this.lastLine = now;
      this.lastText = text;
    }
  }

  /** Stops the bars (the summary table follows). */
  public stop(): void {
    this.multibar?.stop();
  }

  /**
   * The records a collection's line counts to. Its producers' figure grows a
   * page at a time, so while they read, the count made before the run is the
   * floor; once they are done (a collection that points at it has started, or
   * the run has ended) their figure is exact, rows deleted since the count
   * left out.
   */
  private totalOf(collection: Collection, snapshot: ProgressSnapshot): number {
    const source = snapshot.collections[collection]?.source ?? 0;
    if (!snapshot.status.startsWith('RUNNING')) return source;
    const produced = source > 0 && DEPENDANTS[collection].some((dependant) => (snapshot.collections[dependant]?.source ?? 0) > 0);
    return produced ? source : Math.max(source, this.planned[collection] ?? 0);
  }

  /** Collections the run will show: those planned or already counting. */
  private collectionCount(snapshot: ProgressSnapshot): number {
    return COLLECTIONS.filter((collection) => (this.planned[collection] ?? 0) > 0 || (snapshot.collections[collection]?.source ?? 0) > 0).length;
  }

  /** Records per second, smoothed over successive snapshots. */
  private rateOf(name: string, done: number, now: number): number {
    const previous = this.rates.get(name);
    if (!previous) {
      this.rates.set(name, { at: now, done, perSecond: 0 });
      return 0;
    }
    const seconds = (now - previous.at) / 1000;
    if (seconds <= 0) return previous.perSecond;
    const instant = (done - previous.done) / seconds;
    const perSecond = previous.perSecond === 0 ? instant : 0.7 * previous.perSecond + 0.3 * instant;
    this.rates.set(name, { at: now, done, perSecond });
    return perSecond;
  }
}
