import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection, FailureCode } from '../domain/types.ts';
import { batchGetAll, batchPutAll } from './batch.ts';
import { BATCH_CONCURRENCY, MAX_INLINE_PAYLOAD_BYTES, RUN_INDEX, SOURCE_ID_INDEX } from './constants.ts';
import {
  entryKey,
  entryPartition,
  entryRunPartition,
  identityPartition,
  inExternalRefOrder,
  ledgerPartition,
  runPartition,
  sourceOrderAt,
  sourceOrderOf,
} from './keys.ts';
import type { LedgerEntry, LedgerKey, PayloadStore, RecordOutcome, UpdateOutcome } from './types.ts';

/**
 * Every item a run wrote last for one collection in the by-run index, page
 * by page: the key of each of the run's sub-projects in turn, so in
 * externalRef order (a migration's entries, a rollback's outcomes).
 */
export async function* runIndexItems<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  runId: string,
  collection: Collection,
  databases: readonly string[],
): AsyncGenerator<T> {
  for (const database of inExternalRefOrder(databases)) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: RUN_INDEX,
          KeyConditionExpression: 'runCollection = :rc',
          ExpressionAttributeValues: { ':rc': runPartition(runId, collection, database) },
          ExclusiveStartKey: startKey,
        }),
      );
      yield* (page.Items ?? []) as T[];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}

/**
 * The ledger: one DynamoDB item per source record, keyed by customer,
 * collection, sub-project and externalRef. It is what makes runs exact: a producer sends
 * only what the ledger does not show as migrated, a consumer writes every
 * outcome here, and the report is read back from it. No transactions
 * (the local emulator has none): conditional writes keep a migrated record
 * from ever being turned back into a failure.
 *
 * A dry run works on {@link Ledger.forDryRun}: the same table and rules, in
 * the run's own namespace. The by-run index holds its entries like a real
 * run's, so its report is built the same way.
 */
export class Ledger {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly payloads?: PayloadStore,
    /** Set on a dry run's view: every read and write goes to that run's namespace. */
    private readonly dryRunId?: string,
    /** Days a dry run's entries are kept: each of its writes sets `expiresAt` (DynamoDB TTL) this far ahead. Absent: kept. */
    private readonly dryRunRetentionDays?: number,
  ) {}

  /** The ledger of a dry run: its own namespace in the same table; the real entries are only ever read, by the caller, from the real ledger. */
  public forDryRun(runId: string): Ledger {
    return new Ledger(this.db, this.tableName, this.payloads, runId, this.dryRunRetentionDays);
  }

  /** What a write of this view adds: a dry run's `expiresAt` (epoch seconds), nothing for the real ledger, whose entries are kept. */
  private expiry(): { expiresAt?: number } {
    if (this.dryRunId === undefined || this.dryRunRetentionDays === undefined) return {};
    return { expiresAt: Math.floor(Date.now() / 1000) + this.dryRunRetentionDays * 86_400 };
  }

  /**
   * Claims an identity (e.g. an address of a project) for a record in a dry
   * run, first come first served (a conditional put): the holder's externalRef
   * comes back, which is the caller's own when it got it or held it already.
   * A dry run cannot ask the target, so this is how it finds the second of
   * two equal addresses, as the target's `duplicate_address` would.
   */
  public async claimIdentity(key: LedgerKey, identity: string): Promise<string> {
    if (!this.dryRunId) throw new Error('identity claims are kept in a dry run only: a real run asks the target');
    const pk = identityPartition(key, this.dryRunId);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, externalRef: identity, holder: key.externalRef, ...this.expiry() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return key.externalRef;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk, externalRef: identity }, ConsistentRead: true }));
      return String(Item?.holder);
    }
  }

  /** Reads the entries of many records of one collection at once (BatchGetItem, 100 keys a call, whatever their sub-projects). */
  public async getMany(customer: string, collection: Collection, externalRefs: readonly string[]): Promise<Map<string, LedgerEntry>> {
    const keys = [...new Set(externalRefs)].map((externalRef) => entryKey({ customer, collection, externalRef }, this.dryRunId));
    const entries = await batchGetAll<LedgerEntry>(this.db, this.tableName, keys, { concurrency: BATCH_CONCURRENCY });
    return new Map(entries.map((entry) => [entry.externalRef, entry]));
  }

  /**
   * One page of a sub-project's entries of one collection (a Query of its
   * own partition), in externalRef order (the partition's sort key:
   * `<database>:<table>:<id>` as text), after `afterRef`. `lastRef` is where
   * the next page starts; absent at the end.
   */
  public async pageOfSubproject(
    customer: string,
    collection: Collection,
    database: string,
    afterRef: string | undefined,
    limit: number,
  ): Promise<{ entries: LedgerEntry[]; lastRef?: string }> {
    const pk = ledgerPartition(customer, collection, database, this.dryRunId);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ...(afterRef !== undefined ? { ExclusiveStartKey: { pk, externalRef: afterRef } } : {}),
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const lastRef = page.LastEvaluatedKey?.externalRef as string | undefined;
    return { entries: (page.Items ?? []) as LedgerEntry[], ...(lastRef !== undefined ? { lastRef } : {}) };
  }

  /**
   * Marks records as sent in this run, carrying over what the ledger knew of
   * them (attempts, last failure). A record queued but never answered stays
   * `queued`, so the report can name it instead of losing it.
   */
  public async markQueued(runId: string, entries: readonly { key: LedgerKey; sourceChecksum: string; previous?: LedgerEntry }[]): Promise<void> {
    const now = new Date().toISOString();
    await this.putAll(
      entries.map(({ key, sourceChecksum, previous }) => ({
        ...(previous ?? {}),
        pk: entryPartition(key, this.dryRunId),
        runCollection: entryRunPartition(runId, key),
        sourceOrder: sourceOrderOf(key.externalRef),
        ...key,
        // A migrated record queued again is a delta's update: it stays migrated (it IS in the target), so a kill never makes the next run create it again.
        ...(previous?.status === 'migrated' ? { status: 'migrated', delta: 'queued' } : { status: 'queued' }),
        runId,
        attempts: previous?.attempts ?? 0,
        sourceChecksum,
        updatedAt: now,
      })),
    );
  }

  /**
   * Marks migrated records whose source row is gone as this run's
   * `deletedInSource` (the status stays `migrated`): the run's report lists
   * them, and DELETE_MISSING removes them from the target.
   */
  public async markDeletedInSource(runId: string, entries: readonly LedgerEntry[]): Promise<void> {
    const now = new Date().toISOString();
    await this.putAll(
      entries.map((entry) => ({
        ...entry,
        pk: entryPartition(entry, this.dryRunId),
        runCollection: entryRunPartition(runId, entry),
        sourceOrder: sourceOrderOf(entry.externalRef),
        runId,
        delta: 'deletedInSource',
        updatedAt: now,
      })),
    );
  }

  /**
   * The migrated entries of one collection and sub-project whose source id is
   * in `(afterId, lastId]`, from the `by-source-id` index: one bounded Query
   * per producer page, whatever the size of the ledger. Always the real
   * ledger (a dry run creates nothing that could be gone from the source).
   */
  public async migratedInIdRange(customer: string, collection: Collection, database: string, afterId: number, lastId: number): Promise<LedgerEntry[]> {
    const found: LedgerEntry[] = [];
    if (lastId <= afterId) return found;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: SOURCE_ID_INDEX,
          KeyConditionExpression: 'pk = :pk AND sourceOrder BETWEEN :from AND :to',
          FilterExpression: '#status = :migrated',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': ledgerPartition(customer, collection, database),
            ':from': sourceOrderAt(database, afterId + 1),
            ':to': sourceOrderAt(database, lastId),
            ':migrated': 'migrated',
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) found.push(item as LedgerEntry);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  /** Writes whole items, a few BatchWriteItem calls at once (a page of 500 records is 20 of them), until none is left unprocessed. */
  private async putAll(items: readonly Record<string, unknown>[]): Promise<void> {
    const expiry = this.expiry();
    await batchPutAll(
      this.db,
      this.tableName,
      items.map((item) => ({ ...item, ...expiry })),
      { concurrency: BATCH_CONCURRENCY },
    );
  }

  /**
   * Writes a record's outcome in this run. Returns false when the ledger
   * already shows the record migrated and the new outcome is not a migration
   * (a late duplicate delivery): the migrated entry wins.
   */
  public async recordOutcome(key: LedgerKey, runId: string, outcome: RecordOutcome): Promise<boolean> {
    const set: Record<string, unknown> = {
      status: outcome.status,
      runId,
      runCollection: entryRunPartition(runId, key),
      customer: key.customer,
      collection: key.collection,
      sourceOrder: sourceOrderOf(key.externalRef),
      updatedAt: new Date().toISOString(),
    };
    const remove: string[] = [];
    if (outcome.status === 'migrated') {
      set.targetId = outcome.targetId;
      for (const name of ['origin', 'targetVersion', 'fieldHashes', 'migratedChecksum'] as const) if (outcome[name] !== undefined) set[name] = outcome[name];
      remove.push('code', 'message', 'field', 'value', 'payload', 'payloadKey', 'delta');
    } else {
      await this.setFailure(key, runId, outcome, set, remove);
    }
    return this.conditionalUpdate(key, set, remove, 'attribute_not_exists(#status) OR #status <> :migrated OR :status = :migrated');
  }

  /**
   * Writes the outcome of a delta's update of a migrated record. The entry
   * stays `migrated` whatever the outcome (the record is in the target, and
   * its children keep resolving to it); `delta` says what this run did, and
   * a failure keeps the target id, version and hashes of the last write, so
   * the row, once fixed, is patched from there. Returns false when the entry
   * is not migrated (nothing to update: a rollback removed it meanwhile).
   */
  public async recordUpdate(key: LedgerKey, runId: string, outcome: UpdateOutcome): Promise<boolean> {
    const set: Record<string, unknown> = {
      delta: outcome.status,
      runId,
      runCollection: entryRunPartition(runId, key),
      sourceOrder: sourceOrderOf(key.externalRef),
      updatedAt: new Date().toISOString(),
    };
    const remove: string[] = [];
    if (outcome.status === 'failed') await this.setFailure(key, runId, outcome, set, remove);
    else {
      set.migratedChecksum = outcome.migratedChecksum;
      if (outcome.status === 'updated') {
        set.fieldHashes = outcome.fieldHashes;
        if (outcome.targetVersion !== undefined) set.targetVersion = outcome.targetVersion;
      }
      remove.push('code', 'message', 'field', 'value', 'payload', 'payloadKey');
    }
    return this.conditionalUpdate(key, set, remove, '#status = :migrated');
  }

  /**
   * Writes what DELETE_MISSING did to a record gone from the source: removed
   * from the target (404 included), the entry is `removed` (not migrated; its
   * generation goes up, so a record created again gets a new Idempotency-Key);
   * kept, it stays migrated with `delta: 'kept'`, the code, and the reason
   * (`target_changed`, `has_children`, `failed`) as its `value`.
   */
  public async recordRemoval(
    key: LedgerKey,
    runId: string,
    outcome: { status: 'deleted' } | { status: 'kept'; code: FailureCode; reason: string; message: string },
  ): Promise<boolean> {
    const set: Record<string, unknown> = { delta: outcome.status, runId, runCollection: entryRunPartition(runId, key), updatedAt: new Date().toISOString() };
    const remove: string[] = [];
    if (outcome.status === 'deleted') {
      set.status = 'removed';
      remove.push('code', 'message', 'field', 'value');
    } else {
      set.code = outcome.code;
      set.message = outcome.message;
      set.value = outcome.reason;
    }
    return this.conditionalUpdate(key, set, remove, '#status = :migrated', outcome.status === 'deleted');
  }

  private async setFailure(
    key: LedgerKey,
    runId: string,
    outcome: { code: FailureCode; message: string; field?: string; value?: string; payload?: unknown },
    set: Record<string, unknown>,
    remove: string[],
  ): Promise<void> {
    set.code = outcome.code;
    set.message = outcome.message;
    for (const name of ['field', 'value'] as const) {
      if (outcome[name]) set[name] = outcome[name];
      else remove.push(name);
    }
    const payload = outcome.payload === undefined ? undefined : await this.storePayload(key, runId, outcome.payload);
    if (payload?.inline !== undefined) {
      set.payload = payload.inline;
      remove.push('payloadKey');
    } else if (payload?.key !== undefined) {
      set.payloadKey = payload.key;
      remove.push('payload');
    }
  }

  /** One UpdateItem under a condition; false when the condition does not hold. `bumpGeneration` adds 1 to the generation (a new one starts at 1). */
  private async conditionalUpdate(
    key: LedgerKey,
    given: Record<string, unknown>,
    remove: readonly string[],
    condition: string,
    bumpGeneration = false,
  ): Promise<boolean> {
    const set = { ...given, ...this.expiry() };
    // Every attribute goes through a placeholder: several of these names are DynamoDB reserved words.
    const names: Record<string, string> = { '#attempts': 'attempts', '#status': 'status', ...(bumpGeneration ? { '#generation': 'generation' } : {}) };
    const values: Record<string, unknown> = { ':one': 1, ':migrated': 'migrated' };
    const assignments: string[] = [];
    for (const [name, value] of Object.entries(set)) {
      names[`#${name}`] = name;
      assignments.push(`#${name} = :${name}`);
      values[`:${name}`] = value;
    }
    for (const name of remove) names[`#${name}`] = name;
    const update = [
      `SET ${assignments.join(', ')}`,
      `ADD #attempts :one${bumpGeneration ? ', #generation :one' : ''}`,
      ...(remove.length ? [`REMOVE ${remove.map((name) => `#${name}`).join(', ')}`] : []),
    ].join(' ');
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: entryKey(key, this.dryRunId),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Raises a migrated entry's `targetVersion` to the version a later write of
   * the engine left (a work order after its `work-order-updates` PATCH). Never
   * lowers it: a late, duplicate delivery cannot roll the version back.
   */
  public async noteTargetVersion(key: LedgerKey, targetId: string, version: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: entryKey(key, this.dryRunId),
          UpdateExpression: 'SET targetVersion = :version',
          ConditionExpression: '#status = :migrated AND targetId = :targetId AND (attribute_not_exists(targetVersion) OR targetVersion < :version)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':version': version, ':migrated': 'migrated', ':targetId': targetId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Every entry a run wrote last for one collection, page by page (the
   * report's source): the by-run key of each of the run's sub-projects in
   * turn, so in externalRef order.
   */
  public async *entriesOfRun(runId: string, collection: Collection, databases: readonly string[]): AsyncGenerator<LedgerEntry> {
    yield* runIndexItems<LedgerEntry>(this.db, this.tableName, runId, collection, databases);
  }

  private async storePayload(key: LedgerKey, runId: string, payload: unknown): Promise<{ inline?: string; key?: string }> {
    const json = JSON.stringify(payload);
    if (Buffer.byteLength(json) <= MAX_INLINE_PAYLOAD_BYTES || !this.payloads) return { inline: json.slice(0, MAX_INLINE_PAYLOAD_BYTES) };
    const objectKey = `payloads/${key.customer}/${runId}/${key.collection}/${encodeURIComponent(key.externalRef)}.json`;
    return { key: await this.payloads.put(objectKey, json) };
  }
}
