import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../domain/types.ts';

/** A run as the run table holds it. */
export interface RunRecord {
  customer: string;
  runId: string;
  startedAt: string;
  finishedAt?: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  options: Record<string, unknown>;
  /** Whether the target's workflows and e-mail setting were put back. */
  target?: { workflowsRestored: boolean; emailRestored: boolean };
  error?: string;
  /** The customer's latest run when this one started. */
  previousRunId?: string;
  /** A dry run: it changed nothing, so it never becomes the customer's latest run. */
  dryRun?: boolean;
  /** Workflows this run switched off (with those earlier runs left off): what it must switch back on. */
  savedWorkflowIds?: string[];
  /** The e-mail setting to put back when this run switched e-mail off. */
  savedEmailEnabled?: boolean;
  /**
   * A run that is no migration. A verification: recorded, never any
   * customer's latest run. A rollback: the customer's latest rollback, never
   * its latest migration.
   */
  kind?: 'verify' | 'rollback';
  /**
   * The sub-projects (legacy databases) the run works on, as configure listed
   * them: the by-run index holds a run's entries under one key per
   * sub-project, and its readers read these keys in turn, never a scan.
   */
  databases?: string[];
  /** Set when FiberConnect refused the customer's token during the run: the one line of the refusal. The run stops at its next drain check. */
  targetRefused?: string;
}

/**
 * What runs switched off on a customer's target and no restore has put back
 * yet: one per customer, carried from run to run until a restore succeeded,
 * so a chain of killed and failed runs still ends with the original settings.
 */
export interface RestoreDebt {
  /** Workflows that were ACTIVE before some run switched them off. */
  workflowIds: string[];
  /** The e-mail setting before the first run that switched it off; absent when e-mail is not switched off. */
  emailEnabled?: boolean;
}

/** Sort key of a customer's {@link RestoreDebt} (beside its runs and `latest`). */
const RESTORE_DEBT_KEY = 'restore';

/** Sort keys of the pointers to a customer's latest real and latest dry run. */
const LATEST_KEY = 'latest';
const LATEST_DRY_KEY = 'latest-dry';
/** Sort key of the pointer to a customer's latest rollback. */
const LATEST_ROLLBACK_KEY = 'latest-rollback';

/** What a producer read from one id range of one sub-project: written whole, so a retried producer overwrites, never adds. */
export interface RangeCounts {
  /** Source rows of the range in this run's scope. */
  source: number;
  /** Rows the ledger already showed as migrated by an earlier run. */
  alreadyMigrated: number;
  /** Rows sent to the queue. */
  queued: number;
}

/** Live progress of one collection: exact source figures from the producers, ADD counters from the consumers. */
export interface CollectionProgress {
  source: number;
  alreadyMigrated: number;
  queued: number;
  migrated: number;
  /** Migrated records whose changed fields a delta sent. */
  updated: number;
  /** Migrated records whose row changed but no mapped field did (nothing sent): already migrated, found by a consumer. */
  unchanged: number;
  failed: number;
  skipped: number;
}

const emptyProgress = (): CollectionProgress => ({ source: 0, alreadyMigrated: 0, queued: 0, migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 });

/** Live progress of one collection in a rollback: entries found and queued (producers), outcomes (removal consumers). */
export interface RemovalProgress {
  /** Migrated entries the rollback found. */
  source: number;
  /** Of them, sent for removal (the rest were adopted: kept at once). */
  queued: number;
  removed: number;
  alreadyGone: number;
  kept: number;
  failed: number;
}

/** The counters a migration's consumers ADD to, one per outcome. */
export const CONSUMER_COUNTERS = ['migrated', 'updated', 'unchanged', 'failed', 'skipped'] as const;

/** A migration's consumer counters of one collection. */
export type ConsumerCounts = Pick<CollectionProgress, (typeof CONSUMER_COUNTERS)[number]>;

/** The removal outcome counters, kept on the same item as a migration's, so a drain wait counts them as progress alike. */
export const REMOVAL_COUNTERS = ['removed', 'alreadyGone', 'kept', 'failed'] as const;

/** A rollback's removal counters of one collection. */
export type RemovalCounts = Pick<RemovalProgress, (typeof REMOVAL_COUNTERS)[number]>;

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
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { pk: run.customer, sk: `run#${run.runId}`, ...run } }));
    const sk = run.kind === 'rollback' ? LATEST_ROLLBACK_KEY : run.dryRun ? LATEST_DRY_KEY : LATEST_KEY;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { pk: run.customer, sk, runId: run.runId, startedAt: run.startedAt } }));
  }

  /**
   * Records a run that is no migration (a verification): its own item only,
   * no latest-run pointer, so no migration ever takes it for its predecessor
   * and no consumer drops a message as stale because of it.
   */
  public async recordRun(run: RunRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { pk: run.customer, sk: `run#${run.runId}`, ...run } }));
  }

  /** The run, or undefined when the customer has no such run. */
  public async getRun(customer: string, runId: string): Promise<RunRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: customer, sk: `run#${runId}` }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...run } = Item;
    return run as RunRecord;
  }

  /** Id of the customer's latest run, if any; with `dryRun`, of its latest dry run. */
  public async latestRunId(customer: string, dryRun = false): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: customer, sk: dryRun ? LATEST_DRY_KEY : LATEST_KEY }, ConsistentRead: true }),
    );
    return Item?.runId as string | undefined;
  }

  /** Id of the customer's latest rollback, if any: a removal message of another rollback is stale. */
  public async latestRollbackId(customer: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: customer, sk: LATEST_ROLLBACK_KEY }, ConsistentRead: true }));
    return Item?.runId as string | undefined;
  }

  /** What is still to be switched back on for the customer (nothing when every run restored). */
  public async restoreDebt(customer: string): Promise<RestoreDebt> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: customer, sk: RESTORE_DEBT_KEY }, ConsistentRead: true }));
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
        Key: { pk: customer, sk: RESTORE_DEBT_KEY },
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
          Key: { pk: customer, sk: `run#${runId}` },
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
      new GetCommand({ TableName: this.tableName, Key: { pk: customer, sk: `run#${runId}` }, ProjectionExpression: 'targetRefused', ConsistentRead: true }),
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
        Key: { pk: customer, sk: `run#${runId}` },
        UpdateExpression: `SET ${entries.map(([name]) => `#${name} = :${name}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])),
      }),
    );
  }

  /** Stores what a producer read from one range (overwrites a retried producer's earlier figures). */
  public async recordRange(customer: string, runId: string, collection: Collection, range: string, counts: RangeCounts): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: `${customer}#${runId}`, sk: `range#${collection}#${range}`, collection, ...counts } }),
    );
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
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `${customer}#${runId}`, sk: `progress#${collection}` }, ConsistentRead: true }),
    );
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
          ExpressionAttributeValues: { ':pk': `${customer}#${runId}` },
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
        Key: { pk: `${customer}#${runId}`, sk: `progress#${collection}` },
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
        Key: { pk: `${customer}#${runId}`, sk: `progress#${collection}` },
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
