/** An in-memory run table: the latest run per customer, range figures SET per page, live counters ADDed. */
import type { Collection } from '../../src/domain/types.ts';
import type { CollectionProgress, RangeCounts, RunPointer } from '../../src/ledger/types.ts';
import type { PipelineRuns } from '../../src/pipeline/types.ts';

type Counters = Partial<Pick<CollectionProgress, 'migrated' | 'updated' | 'unchanged' | 'failed' | 'skipped'>>;

const COUNTERS = ['migrated', 'updated', 'unchanged', 'failed', 'skipped'] as const;
const zeros = (): Required<Counters> => ({ migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 });

export class FakeRunStore implements PipelineRuns {
  /** Latest run per customer. */
  public readonly latest = new Map<string, string>();
  /** Range figures by `customer#runId#collection#range`. */
  public readonly ranges = new Map<string, RangeCounts>();
  /** Live counters by `customer#runId#collection`. */
  public readonly counters = new Map<string, Required<Counters>>();
  public latestReads = 0;

  public constructor(public readonly calls: string[] = []) {}

  /** Latest dry run per customer. */
  public readonly latestDry = new Map<string, string>();

  /** Runs stopped (`make stop`): their messages are no longer delivered. */
  public readonly stopped = new Set<string>();

  public async liveRunId(customer: string, pointer: RunPointer): Promise<string | undefined> {
    this.latestReads += 1;
    const latest = (pointer === 'dry-run' ? this.latestDry : this.latest).get(customer);
    return latest !== undefined && this.stopped.has(latest) ? undefined : latest;
  }

  /** Refusals noted per `customer#runId`. */
  public readonly refusals = new Map<string, string>();

  public async markTargetRefused(customer: string, runId: string, line: string): Promise<void> {
    this.calls.push(`markTargetRefused ${runId}`);
    if (!this.refusals.has(`${customer}#${runId}`)) this.refusals.set(`${customer}#${runId}`, line);
  }

  public async targetRefusal(customer: string, runId: string): Promise<string | undefined> {
    return this.refusals.get(`${customer}#${runId}`);
  }

  public async recordRange(customer: string, runId: string, collection: Collection, range: string, counts: RangeCounts): Promise<void> {
    this.calls.push(`recordRange ${range}`);
    this.ranges.set(`${customer}#${runId}#${collection}#${range}`, { ...counts });
  }

  /** Outcomes the consumers wrote for a collection in a run (every counter). */
  public async outcomeCount(customer: string, runId: string, collection: Collection): Promise<number> {
    return Object.values(this.counters.get(`${customer}#${runId}#${collection}`) ?? zeros()).reduce((sum, count) => sum + count, 0);
  }

  public async addOutcomes(customer: string, runId: string, collection: Collection, counts: Counters): Promise<void> {
    const key = `${customer}#${runId}#${collection}`;
    const current = this.counters.get(key) ?? zeros();
    for (const name of COUNTERS) current[name] += counts[name] ?? 0;
    this.counters.set(key, current);
  }

  /** A collection's live counters in one run (zeros when nothing was added). */
  public countersOf(customer: string, runId: string, collection: Collection): Required<Counters> {
    return this.counters.get(`${customer}#${runId}#${collection}`) ?? zeros();
  }

  /** The range figures of one run and collection, summed over its pages. */
  public rangeTotals(customer: string, runId: string, collection: Collection): RangeCounts {
    const total: RangeCounts = { source: 0, alreadyMigrated: 0, queued: 0 };
    for (const [key, counts] of this.ranges) {
      if (!key.startsWith(`${customer}#${runId}#${collection}#`)) continue;
      total.source += counts.source;
      total.alreadyMigrated += counts.alreadyMigrated;
      total.queued += counts.queued;
    }
    return total;
  }
}
