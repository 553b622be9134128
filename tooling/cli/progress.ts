import cliProgress from 'cli-progress';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { Collection } from '../../src/domain/types.ts';
import type { CollectionProgress } from '../../src/ledger/run-store.ts';

/** One look at a run: its execution status and the counters of each collection. */
export interface ProgressSnapshot {
  status: string;
  collections: Partial<Record<Collection, CollectionProgress>>;
}

interface Rate {
  at: number;
  done: number;
  perSecond: number;
}

/** Records with an outcome: what a collection has done so far. */
export function doneOf(progress: CollectionProgress): number {
  return progress.migrated + progress.failed + progress.skipped + progress.alreadyMigrated;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/**
 * Live progress per collection: done/total, records per second, ETA. A
 * progress bar per collection on a terminal; plain lines otherwise (CI, logs),
 * printed when something changed and at most every `lineIntervalMs`.
 */
export class ProgressView {
  private readonly rates = new Map<Collection, Rate>();
  private readonly bars = new Map<Collection, cliProgress.SingleBar>();
  private readonly multibar?: cliProgress.MultiBar;
  private lastLine = 0;
  private lastText = '';

  public constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly lineIntervalMs = 5_000,
  ) {
    if (out.isTTY) {
      this.multibar = new cliProgress.MultiBar(
        { stream: out, clearOnComplete: false, hideCursor: true, format: ' {collection} [{bar}] {value}/{total} {rate}/s ETA {eta_text} {detail}', barsize: 30, etaBuffer: 20 },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  /** Shows a new snapshot. */
  public update(snapshot: ProgressSnapshot, now = Date.now()): void {
    const lines: string[] = [];
    for (const collection of COLLECTIONS) {
      const progress = snapshot.collections[collection];
      if (!progress || progress.source === 0) continue;
      const done = doneOf(progress);
      const rate = this.rateOf(collection, done, now);
      const eta = rate > 0 ? (progress.source - done) / rate : Number.NaN;
      const detail = `migrated ${progress.migrated}, already ${progress.alreadyMigrated}, skipped ${progress.skipped}, failed ${progress.failed}`;
      if (this.multibar) {
        let bar = this.bars.get(collection);
        if (!bar) {
          bar = this.multibar.create(progress.source, 0, { collection: collection.padEnd(18) });
          this.bars.set(collection, bar);
        }
        bar.setTotal(progress.source);
        bar.update(done, { collection: collection.padEnd(18), rate: rate.toFixed(1), eta_text: formatEta(eta), detail });
      } else {
        lines.push(`${collection} ${done}/${progress.source} ${rate.toFixed(1)}/s ETA ${formatEta(eta)} (${detail})`);
      }
    }
    if (this.multibar) return;
    const text = lines.join('\n');
    if (text && text !== this.lastText && now - this.lastLine >= this.lineIntervalMs) {
      this.out.write(`[${new Date(now).toISOString()}] ${snapshot.status}\n${text}\n`);
      this.lastLine = now;
      this.lastText = text;
    }
  }

  /** Stops the bars (the summary table follows). */
  public stop(): void {
    this.multibar?.stop();
  }

  /** Records per second, smoothed over successive snapshots. */
  private rateOf(collection: Collection, done: number, now: number): number {
    const previous = this.rates.get(collection);
    if (!previous) {
      this.rates.set(collection, { at: now, done, perSecond: 0 });
      return 0;
    }
    const seconds = (now - previous.at) / 1000;
    if (seconds <= 0) return previous.perSecond;
    const instant = (done - previous.done) / seconds;
    const perSecond = previous.perSecond === 0 ? instant : 0.7 * previous.perSecond + 0.3 * instant;
    this.rates.set(collection, { at: now, done, perSecond });
    return perSecond;
  }
}
