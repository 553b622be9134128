import type { StoredFigures } from '../../src/verify/index.ts';

/** What a verification has read so far. */
export interface VerifyTotals {
  /** Target records with one of the customer's externalRefs. */
  listed: number;
  /** Source rows. */
  source: number;
  /** Migrated ledger entries looked for in the listing. */
  ledger: number;
}

/** Least time between two progress lines. */
const LINE_INTERVAL_MS = 10_000;

/**
 * The live line of `make verify`: records read on each side so far. A line
 * when something changed and at most every ten seconds, so a log stays readable.
 */
export class VerifyProgress {
  private last = '';
  private lastAt = Number.NEGATIVE_INFINITY;
  /** A line held back by the interval, shown at the end if nothing came after it. */
  private pending = '';

  public constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Sums a verification's page figures. */
  public static async totals(figures: AsyncIterable<StoredFigures>): Promise<VerifyTotals> {
    const totals: VerifyTotals = { listed: 0, source: 0, ledger: 0 };
    for await (const page of figures) {
      totals.listed += page.listed ?? 0;
      totals.source += page.balance?.source ?? 0;
      totals.ledger += page.ledgerMigrated ?? 0;
    }
    return totals;
  }

  /** Whether a line may be shown now: the caller sums the figures (a query of the run table) only then. */
  public due(): boolean {
    return this.clock() - this.lastAt >= LINE_INTERVAL_MS;
  }

  /** Shows the execution status and totals, when they changed and the interval has passed. */
  public update(status: string, totals: VerifyTotals): void {
    const line = `${status}: ${totals.listed} target records listed, ${totals.source} source rows and ${totals.ledger} migrated ledger entries checked`;
    if (line === this.last) return;
    if (this.clock() - this.lastAt < LINE_INTERVAL_MS) {
      this.pending = line;
      return;
    }
    this.flush(line);
  }

  /** The last state, once, at the end. */
  public stop(): void {
    if (this.pending && this.pending !== this.last) this.flush(this.pending);
  }

  private flush(line: string): void {
    this.out.write(`${line}\n`);
    this.last = line;
    this.lastAt = this.clock();
    this.pending = '';
  }
}
