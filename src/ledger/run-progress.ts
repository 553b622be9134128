import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../domain/index.ts';
import { CONSUMER_COUNTERS, REMOVAL_COUNTERS } from './constants.ts';
import { progressKey, progressPartition, rangeKey } from './keys.ts';
import { itemsOfPartition } from './partition.ts';
import type { CollectionProgress, ConsumerCounts, RangeCounts, RemovalCounts, RemovalProgress } from './types.ts';
import { updateExpression } from './update-expression.ts';

const emptyProgress = (): CollectionProgress => ({ source: 0, alreadyMigrated: 0, queued: 0, migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 });

/** The counter attribute of one sub-project's outcomes on its collection's progress item: what a drain wait compares with what that sub-project's producers queued. */
function subprojectCounter(database: string): string {
  return `outcomes#${database}`;
}

/**
 * A run's live progress in the run table, under `customer#runId`: what each
 * producer read from each range (`range#...`, exact, SET whole so a retried
 * producer overwrites, never adds) and per-collection outcome counters
 * (`progress#<collection>`, ADDed by the consumers, and by a rollback's
 * removal consumers; the report settles them to the ledger's recount).
 *
 * @example
 * const progress = new RunProgress(db, 'runs');
 * await progress.addOutcomes('acme', 'run-1', 'connections', { migrated: 3 }, 'fp_acme_north');
 * await progress.outcomeCounts('acme', 'run-1', 'connections', 'fp_acme_north'); // { all: 3, subproject: 3 }
 */
export class RunProgress {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores what a producer read from one range (overwrites a retried producer's earlier figures). */
  public async recordRange(customer: string, runId: string, collection: Collection, range: string, counts: RangeCounts): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...rangeKey(customer, runId, collection, range), collection, ...counts } }));
  }

  /** Adds consumer outcomes to the live counters; with `database`, to that sub-project's own outcome counter too. */
  public async addOutcomes(customer: string, runId: string, collection: Collection, counts: Partial<ConsumerCounts>, database?: string): Promise<void> {
    await this.addCounters(customer, runId, collection, counts, database);
  }

  /** Adds a rollback's removal outcomes to the live counters (the same item a migration's consumers count on). */
  public async addRemovals(customer: string, runId: string, collection: Collection, counts: Partial<RemovalCounts>, database?: string): Promise<void> {
    await this.addCounters(customer, runId, collection, counts, database);
  }

  /** Counts a redrive's dead letters sent back to one collection's queue (`redriven` on the redrive run's progress item). */
  public async addRedriven(customer: string, runId: string, collection: Collection, moved: number): Promise<void> {
    await this.addCounters(customer, runId, collection, { redriven: moved });
  }

  /**
   * Sets a collection's consumer counters to what the ledger holds (the
   * report's recount, once every consumer of the run is done). The ADDs are
   * not exact on their own: a delivery stopped between its ledger writes and
   * its counter write leaves its records out, and the next delivery finds
   * them done and counts nothing. Returns the counters it replaced.
   */
  public async settleOutcomes(customer: string, runId: string, collection: Collection, counts: ConsumerCounts): Promise<ConsumerCounts> {
    return this.setCounters(customer, runId, collection, CONSUMER_COUNTERS, counts);
  }

  /** {@link RunProgress.settleOutcomes} for a finished rollback: its removal counters set to the removal ledger's recount; returns the ones replaced. */
  public async settleRemovals(customer: string, runId: string, collection: Collection, counts: RemovalCounts): Promise<RemovalCounts> {
    return this.setCounters(customer, runId, collection, REMOVAL_COUNTERS, counts);
  }

  /** Outcomes written so far for one collection of a run (a migration's migrated, updated, unchanged, failed, skipped; a rollback's removed, alreadyGone, kept, failed): what a drain wait counts as progress. */
  public async outcomeCount(customer: string, runId: string, collection: Collection): Promise<number> {
    return (await this.outcomeCounts(customer, runId, collection)).all;
  }

  /** {@link RunProgress.outcomeCount}, and with `database` the outcomes of that sub-project alone, from the same consistent read. */
  public async outcomeCounts(customer: string, runId: string, collection: Collection, database?: string): Promise<{ all: number; subproject?: number }> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: progressKey(customer, runId, collection), ConsistentRead: true }));
    const all = [...new Set([...CONSUMER_COUNTERS, ...REMOVAL_COUNTERS])].reduce((sum, name) => sum + Number(Item?.[name] ?? 0), 0);
    return database === undefined ? { all } : { all, subproject: Number(Item?.[subprojectCounter(database)] ?? 0) };
  }

  /** What a redrive sent back, per collection. */
  public async redriven(customer: string, runId: string): Promise<Partial<Record<Collection, number>>> {
    const progress = await this.progress(customer, runId, ['redriven']);
    return Object.fromEntries(
      Object.entries(progress).map(([collection, counts]) => [collection, Number((counts as unknown as Record<string, number>).redriven ?? 0)]),
    );
  }

  /** Progress of every collection of a rollback: the producers' figures summed, the removal counters added. */
  public async removalProgress(customer: string, runId: string): Promise<Partial<Record<Collection, RemovalProgress>>> {
    const result: Partial<Record<Collection, RemovalProgress>> = {};
    for (const [collection, progress] of Object.entries(await this.progress(customer, runId, [...REMOVAL_COUNTERS]))) {
      const counts = progress as unknown as Record<string, number>;
      result[collection as Collection] = {
        source: counts.source ?? 0,
        queued: counts.queued ?? 0,
        removed: counts.removed ?? 0,
        alreadyGone: counts.alreadyGone ?? 0,
        kept: counts.kept ?? 0,
        failed: counts.failed ?? 0,
      };
    }
    return result;
  }

  /** Progress of every collection of a run: range figures summed, consumer counters added (and the `extra` counters named, a rollback's). */
  public async progress(customer: string, runId: string, extra: readonly string[] = []): Promise<Partial<Record<Collection, CollectionProgress>>> {
    const result: Partial<Record<Collection, CollectionProgress>> = {};
    for await (const item of itemsOfPartition(this.db, this.tableName, progressPartition(customer, runId))) {
      const collection = item.collection as Collection;
      const progress = (result[collection] ??= emptyProgress()) as unknown as Record<string, number>;
      for (const name of new Set([...Object.keys(emptyProgress()), ...extra])) progress[name] = (progress[name] ?? 0) + Number(item[name] ?? 0);
    }
    return result;
  }

  /** SETs the `names` counters of one collection to `counts`; returns what they were. */
  private async setCounters<Name extends string>(
    customer: string,
    runId: string,
    collection: Collection,
    names: readonly Name[],
    counts: Record<Name, number>,
  ): Promise<Record<Name, number>> {
    const set = { collection, ...Object.fromEntries(names.map((name) => [name, counts[name]])) };
    const { Attributes: before = {} } = await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: progressKey(customer, runId, collection), ...updateExpression({ set }), ReturnValues: 'ALL_OLD' }),
    );
    return Object.fromEntries(names.map((name) => [name, Number(before[name] ?? 0)])) as Record<Name, number>;
  }

  /** Adds `counts` (counters of 0 left out: nothing to write when all are) to a collection's progress item in one write; with `database`, their sum to that sub-project's own outcome counter too. */
  private async addCounters(
    customer: string,
    runId: string,
    collection: Collection,
    counts: Record<string, number | undefined>,
    database?: string,
  ): Promise<void> {
    const add = Object.fromEntries(Object.entries(counts).filter((entry): entry is [string, number] => Boolean(entry[1])));
    if (Object.keys(add).length === 0) return;
    if (database !== undefined) add[subprojectCounter(database)] = Object.values(add).reduce((sum, value) => sum + value, 0);
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: progressKey(customer, runId, collection), ...updateExpression({ set: { collection }, add }) }),
    );
  }
}
