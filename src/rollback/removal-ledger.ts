import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../domain/index.ts';
import type { RemovableCollection } from '../pipeline/index.ts';
import type { RemovalOutcomeEntry } from './types.ts';
import {
  batchGetAll,
  entryKey,
  entryRunPartition,
  type LedgerEntry,
  ledgerPartition,
  outcomePartition,
  parseUnansweredSortKey,
  runIndexItems,
  unansweredSortKey,
} from '../ledger/index.ts';

/** What the engine wrote to the target (and a delta did to it) that a removal takes back from the entry. */
const MIGRATED_FIELDS = ['targetId', 'origin', 'targetVersion', 'fieldHashes', 'migratedChecksum', 'delta', 'runCollection'] as const;

/**
 * The ledger as a rollback uses it. A rollback reads the migrated entries of
 * one sub-project (a Query of its own partition of the collection, never a scan),
 * writes one outcome item per record in its own partition (conditional: the
 * first outcome of a run is the one that counts, so a redelivery or a retried
 * step never counts twice), and turns a removed record's entry back into
 * "not migrated" with its generation raised once.
 */
export class RemovalLedger {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One page of a sub-project's migrated entries of a collection, in
   * externalRef order after `after`. `next` is where the following page
   * starts; absent when the sub-project's partition is read to its end.
   * A page may hold fewer than `limit` entries (DynamoDB filters after it reads).
   */
  public async migratedPage(
    customer: string,
    collection: Collection,
    database: string,
    limit: number,
    after?: string,
  ): Promise<{ entries: LedgerEntry[]; next?: string }> {
    const pk = ledgerPartition(customer, collection, database);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#status = :migrated',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': pk, ':migrated': 'migrated' },
        Limit: limit,
        ConsistentRead: true,
        ...(after ? { ExclusiveStartKey: { pk, externalRef: after } } : {}),
      }),
    );
    const next = page.LastEvaluatedKey?.externalRef as string | undefined;
    return { entries: (page.Items ?? []) as LedgerEntry[], ...(next ? { next } : {}) };
  }

  /** The outcomes this rollback has written already for some records of a collection. */
  public async outcomesOf(runId: string, customer: string, collection: Collection, externalRefs: readonly string[]): Promise<Map<string, RemovalOutcomeEntry>> {
    const found = new Map<string, RemovalOutcomeEntry>();
    for (const item of await this.itemsOf(runId, customer, collection, externalRefs))
      found.set(String(item.externalRef), item as unknown as RemovalOutcomeEntry);
    return found;
  }

  /**
   * Notes that a DELETE of the record went out in this rollback without an
   * answer (a timeout, a dropped connection): it may have removed the
   * record, so a later 404 is this rollback's removal, not a record gone before.
   */
  public async noteUnanswered(runId: string, customer: string, collection: RemovableCollection, externalRef: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: outcomePartition(runId, customer, collection, externalRef),
          externalRef: unansweredSortKey(externalRef),
          updatedAt: new Date().toISOString(),
        },
      }),
    );
  }

  /** Those of the records whose DELETE went out without an answer in an earlier delivery of this rollback ({@link noteUnanswered}). */
  public async unansweredOf(runId: string, customer: string, collection: RemovableCollection, externalRefs: readonly string[]): Promise<Set<string>> {
    const items = await this.itemsOf(runId, customer, collection, externalRefs.map(unansweredSortKey));
    return new Set(items.map((item) => parseUnansweredSortKey(String(item.externalRef))!));
  }

  /** The items of some sort keys (externalRefs, or notes beside them: the same sub-project) in this rollback's outcome partitions. */
  private async itemsOf(runId: string, customer: string, collection: Collection, sortKeys: readonly string[]): Promise<Record<string, unknown>[]> {
    const keys = [...new Set(sortKeys)].map((sortKey) => ({ pk: outcomePartition(runId, customer, collection, sortKey), externalRef: sortKey }));
    return batchGetAll(this.db, this.tableName, keys);
  }

  /**
   * Writes one record's outcome in this rollback unless it has one already.
   * @returns whether it was new (counted now).
   */
  public async recordOutcome(runId: string, customer: string, collection: RemovableCollection, outcome: RemovalOutcomeEntry): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: outcomePartition(runId, customer, collection, outcome.externalRef),
            runCollection: entryRunPartition(runId, { collection, externalRef: outcome.externalRef }),
            ...outcome,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Turns a removed record's entry back into "not migrated" (`removed`): the
   * target fields go, `generation` rises by one so the next migration sends a
   * new Idempotency-Key. Only while the entry still shows the removed target
   * id as migrated: a second call for the same removal changes nothing.
   * Without `targetId` (a work order's update, which has its work order's id) any migrated entry is reset, its generation untouched (a PATCH carries no key).
   * @returns whether this call reset it.
   */
  public async markRemoved(runId: string, customer: string, collection: Collection, externalRef: string, targetId?: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: entryKey({ customer, collection, externalRef }),
          UpdateExpression: `SET #status = :removed, removedBy = :runId, updatedAt = :now REMOVE ${MIGRATED_FIELDS.join(', ')}${targetId ? ' ADD generation :one' : ''}`,
          ConditionExpression: `#status = :migrated${targetId ? ' AND targetId = :targetId' : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':removed': 'removed',
            ':migrated': 'migrated',
            ':runId': runId,
            ':now': new Date().toISOString(),
            ...(targetId ? { ':targetId': targetId, ':one': 1 } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Every outcome of a rollback for one collection, page by page (the rollback report's source): the by-run key of each of its sub-projects in turn. */
  public async *outcomesOfRun(runId: string, collection: RemovableCollection, databases: readonly string[]): AsyncGenerator<RemovalOutcomeEntry> {
    yield* runIndexItems<RemovalOutcomeEntry>(this.db, this.tableName, runId, collection, databases);
  }
}
