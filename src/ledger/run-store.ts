import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../domain/types.ts';
import { CONSUMER_COUNTERS, REMOVAL_COUNTERS } from './constants.ts';
import { pointerKey, progressKey, progressPartition, rangeKey, restoreDebtKey, runKey } from './keys.ts';
import type { CollectionProgress, ConsumerCounts, RangeCounts, RemovalCounts, RemovalProgress, RestoreDebt, RunPointer, RunRecord } from './types.ts';

const emptyProgress = (): CollectionProgress => ({ source: 0, alreadyMigrated: 0, queued: 0, migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 });

/**
 * The run table: one item per run, a pointer to each customer's latest run,
 * per-range producer counts (exact, idempotent SETs) and per-collection
 * consumer counters (ADD, for live progress; the report recounts from the ledger).
 */
export class RunStore {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Records a new run and makes it the customer's latest. A dry run becomes
   * the latest dry run instead: a later real run never takes it for its
   * predecessor, and a real run's messages are never dropped as stale because
   * of it. A rollback becomes the latest rollback, so a removal message of
   * another rollback is stale.
   */
  public async startRun(run: RunRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...runKey(run.customer, run.runId), ...run } }));
    const pointer: RunPointer = run.kind === 'rollback' ? 'rollback' : run.dryRun ? 'dry-run' : 'run';
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...pointerKey(run.customer, pointer), runId: run.runId, startedAt: run.startedAt } }),
    );
  }

  /**
   * Records a run that is no migration (a verification): its own item only,
   * no latest-run pointer, so no migration ever takes it for its predecessor
   * and no consumer drops a message as stale because of it.
   */
  public async recordRun(run: RunRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...runKey(run.customer, run.runId), ...run } }));
  }

  /** The run, or undefined when the customer has no such run. */
  public async getRun(customer: string, runId: string): Promise<RunRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: runKey(customer, runId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...run } = Item;
    return run as RunRecord;
  }

  /** Id of the customer's latest run, if any; with `dryRun`, of its latest dry run. */
  public async latestRunId(customer: string, dryRun = false): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: pointerKey(customer, dryRun ? 'dry-run' : 'run'), ConsistentRead: true }),
    );
    return Item?.runId as string | undefined;
  }

  /** Id of the customer's latest rollback, if any: a removal message of another rollback is stale. */
  public async latestRollbackId(customer: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: pointerKey(customer, 'rollback'), ConsistentRead: true }));
    return Item?.runId as string | undefined;
  }

  /**
   * The run whose messages the consumers deliver: the latest run (real,
   * `dryRun`, or with `rollback` the latest rollback), unless it was stopped
   * (`make stop`): then none, and its messages still queued are dropped as
   * stale, so nothing reaches the target after its settings were restored.
   */
  public async liveRunId(customer: string, pointer: RunPointer): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: pointerKey(customer, pointer), ConsistentRead: true }));
    return Item && Item.stoppedRunId !== Item.runId ? (Item.runId as string) : undefined;
  }

  /** Marks the latest run of `pointer` stopped when it is `runId` (see {@link liveRunId}); false when another run is the latest. */
  public async markStopped(customer: string, pointer: RunPointer, runId: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pointerKey(customer, pointer),
          UpdateExpression: 'SET stoppedRunId = :runId',
          ConditionExpression: 'runId = :runId',
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Lifts a stop mark of the latest run `runId`: a redrive delivers that run's dead letters again. */
  public async reviveRun(customer: string, runId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: pointerKey(customer, 'run'),
          UpdateExpression: 'REMOVE stoppedRunId',
          ConditionExpression: 'runId = :runId',
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** What is still to be switched back on for the customer (nothing when every run restored). */
  public async restoreDebt(customer: string): Promise<RestoreDebt> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: restoreDebtKey(customer), ConsistentRead: true }));
    const workflowIds = [...((Item?.workflowIds as Set<string> | undefined) ?? [])].sort();
    return typeof Item?.emailEnabled === 'boolean' ? { workflowIds, emailEnabled: Item.emailEnabled } : { workflowIds };
  }

  /** Adds workflows a run is about to switch off to what must be restored (a string-set ADD: merges, never replaces). */
  public async addWorkflowsToRestore(customer: string, workflowIds: readonly string[]): Promise<void> {
    if (workflowIds.length === 0) return;
    await this.updateDebt(customer, 'ADD workflowIds :ids', { ':ids': new Set(workflowIds) });
  }

  /**
   * Records the e-mail setting to restore unless one is recorded already (the
   * earlier value is the original: a later run found e-mail off because of it).
   * @returns the setting to restore.
   */
  public async keepEmailToRestore(customer: string, emailEnabled: boolean): Promise<boolean> {
    const attributes = await this.updateDebt(customer, 'SET emailEnabled = if_not_exists(emailEnabled, :email)', { ':email': emailEnabled });
    return attributes?.emailEnabled as boolean;
  }

  /** Takes workflows off what must be restored: call only after they were switched back on. */
  public async markWorkflowsRestored(customer: string, workflowIds: readonly string[]): Promise<void> {
    if (workflowIds.length === 0) return;
    await this.updateDebt(customer, 'DELETE workflowIds :ids', { ':ids': new Set(workflowIds) });
  }

  /** Takes the e-mail setting off what must be restored: call only after it was put back. */
  public async markEmailRestored(customer: string): Promise<void> {
    await this.updateDebt(customer, 'REMOVE emailEnabled');
  }

  private async updateDebt(customer: string, expression: string, values?: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: restoreDebtKey(customer),
        UpdateExpression: expression,
        ...(values ? { ExpressionAttributeValues: values } : {}),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes;
  }

  /** Notes that FiberConnect refused the token during the run (the first refusal is kept): consumers stop sending, the next drain check stops the run. */
  public async markTargetRefused(customer: string, runId: string, line: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(customer, runId),
          UpdateExpression: 'SET targetRefused = :line',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(targetRefused)',
          ExpressionAttributeValues: { ':line': line },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** The refusal {@link markTargetRefused} noted for the run, if any. */
  public async targetRefusal(customer: string, runId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: runKey(customer, runId), ProjectionExpression: 'targetRefused', ConsistentRead: true }),
    );
    return Item?.targetRefused as string | undefined;
  }

  /** Sets some fields of a run: its end, or what it saved of the target's settings. */
  public async updateRun(
    customer: string,
    runId: string,
    update: Partial<Pick<RunRecord, 'status' | 'finishedAt' | 'target' | 'error' | 'savedWorkflowIds' | 'savedEmailEnabled'>>,
  ): Promise<void> {
    const entries = Object.entries(update).filter(([, value]) => value !== undefined);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: runKey(customer, runId),
        UpdateExpression: `SET ${entries.map(([name]) => `#${name} = :${name}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])),
      }),
    );
  }

  /** Stores what a producer read from one range (overwrites a retried producer's earlier figures). */
  public async recordRange(customer: string, runId: string, collection: Collection, range: string, counts: RangeCounts): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...rangeKey(customer, runId, collection, range), collection, ...counts } }));
  }

  /** Adds consumer outcomes to the live counters. */
  public async addOutcomes(customer: string, runId: string, collection: Collection, counts: Partial<ConsumerCounts>, database?: string): Promise<void> {
    await this.addCounters(customer, runId, collection, counts, database);
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

  /** {@link settleOutcomes} for a finished rollback: its removal counters set to the removal ledger's recount; returns the ones replaced. */
  public async settleRemovals(customer: string, runId: string, collection: Collection, counts: RemovalCounts): Promise<RemovalCounts> {
    return this.setCounters(customer, runId, collection, REMOVAL_COUNTERS, counts);
  }

  /** Counts a redrive's dead letters sent back to one collection's queue (`redriven` on the redrive run's progress item). */
  public async addRedriven(customer: string, runId: string, collection: Collection, moved: number): Promise<void> {
    await this.addCounters(customer, runId, collection, { redriven: moved });
  }

  /** What a redrive sent back, per collection. */
  public async redriven(customer: string, runId: string): Promise<Partial<Record<Collection, number>>> {
    const progress = await this.progress(customer, runId, ['redriven']);
    return Object.fromEntries(
      Object.entries(progress).map(([collection, counts]) => [collection, Number((counts as unknown as Record<string, number>).redriven ?? 0)]),
    );
  }

  /** Adds a rollback's removal outcomes to the live counters (the same item a migration's consumers count on). */
  public async addRemovals(customer: string, runId: string, collection: Collection, counts: Partial<RemovalCounts>, database?: string): Promise<void> {
    await this.addCounters(customer, runId, collection, counts, database);
  }

  /** Outcomes written so far for one collection of a run (a migration's migrated, updated, unchanged, failed, skipped; a rollback's removed, alreadyGone, kept, failed): what a drain wait counts as progress. */
  public async outcomeCount(customer: string, runId: string, collection: Collection): Promise<number> {
    return (await this.outcomeCounts(customer, runId, collection)).all;
  }

  /** {@link outcomeCount}, and with `database` the outcomes of that sub-project alone, from the same consistent read. */
  public async outcomeCounts(customer: string, runId: string, collection: Collection, database?: string): Promise<{ all: number; subproject?: number }> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: progressKey(customer, runId, collection), ConsistentRead: true }));
    const all = [...new Set([...CONSUMER_COUNTERS, ...REMOVAL_COUNTERS])].reduce((sum, name) => sum + Number(Item?.[name] ?? 0), 0);
    return database === undefined ? { all } : { all, subproject: Number(Item?.[subprojectCounter(database)] ?? 0) };
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
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': progressPartition(customer, runId) },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        const collection = item.collection as Collection;
        const progress = (result[collection] ??= emptyProgress()) as unknown as Record<string, number>;
        for (const name of new Set([...Object.keys(emptyProgress()), ...extra])) progress[name] = (progress[name] ?? 0) + Number(item[name] ?? 0);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return result;
  }

  /** Adds `counts` (counters of 0 left out: nothing to write when all are) to a collection's progress item in one write; with `database`, their sum to that sub-project's own outcome counter too. */
  /** SETs the `names` counters of one collection to `counts`; returns what they were. */
  private async setCounters<Name extends string>(
    customer: string,
    runId: string,
    collection: Collection,
    names: readonly Name[],
    counts: Record<Name, number>,
  ): Promise<Record<Name, number>> {
    const { Attributes: before = {} } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: progressKey(customer, runId, collection),
        UpdateExpression: `SET #collection = :collection, ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
        ExpressionAttributeNames: { '#collection': 'collection', ...Object.fromEntries(names.map((name) => [`#${name}`, name])) },
        ExpressionAttributeValues: { ':collection': collection, ...Object.fromEntries(names.map((name) => [`:${name}`, counts[name]])) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Object.fromEntries(names.map((name) => [name, Number(before[name] ?? 0)])) as Record<Name, number>;
  }

  private async addCounters(
    customer: string,
    runId: string,
    collection: Collection,
    counts: Record<string, number | undefined>,
    database?: string,
  ): Promise<void> {
    const entries: [string, number][] = Object.entries(counts).filter((entry): entry is [string, number] => Boolean(entry[1]));
    if (entries.length === 0) return;
    if (database !== undefined) entries.push([subprojectCounter(database), entries.reduce((sum, [, value]) => sum + value, 0)]);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: progressKey(customer, runId, collection),
        UpdateExpression: `SET #collection = :collection ADD ${entries.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
        ExpressionAttributeNames: { '#collection': 'collection', ...Object.fromEntries(entries.map(([name], index) => [`#c${index}`, name])) },
        ExpressionAttributeValues: { ':collection': collection, ...Object.fromEntries(entries.map(([, value], index) => [`:c${index}`, value])) },
      }),
    );
  }
}

/** The counter attribute of one sub-project's outcomes on its collection's progress item: what a drain wait compares with what that sub-project's producers queued. */
function subprojectCounter(database: string): string {
  return `outcomes#${database}`;
}
