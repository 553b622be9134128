import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection, FailureCode, RecordFailure } from '../domain/index.ts';
import { batchGetAll, batchPutAll } from './batch.ts';
import { BATCH_CONCURRENCY, SOURCE_ID_INDEX } from './constants.ts';
import { DryRunNamespace } from './dry-run-namespace.ts';
import { entryKey, entryPartition, entryRunPartition, identityPartition, ledgerPartition, sourceOrderAt, sourceOrderOf } from './keys.ts';
import { PayloadOffload } from './payload-offload.ts';
import { runIndexItems } from './run-index.ts';
import type { LedgerEntry, LedgerKey, LedgerOptions, RecordOutcome, UpdateClauses, UpdateOutcome } from './types.ts';
import { updateExpression } from './update-expression.ts';

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
  private readonly offload: PayloadOffload;

  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: LedgerOptions = {},
    /** Set on a dry run's view ({@link Ledger.forDryRun}): every read and write goes to that run's namespace. */
    private readonly dryRun?: DryRunNamespace,
  ) {
    this.offload = new PayloadOffload(options.payloads);
  }

  /** The ledger of a dry run: its own namespace in the same table; the real entries are only ever read, by the caller, from the real ledger. */
  public forDryRun(runId: string): Ledger {
    return new Ledger(this.db, this.tableName, this.options, new DryRunNamespace(runId, this.options.dryRunRetentionDays));
  }

  /** What a write of this view adds: a dry run's `expiresAt`, nothing for the real ledger, whose entries are kept. */
  private expiry(): { expiresAt?: number } {
    return this.dryRun?.expiry() ?? {};
  }

  /**
   * Claims an identity (e.g. an address of a project) for a record in a dry
   * run, first come first served (a conditional put): the holder's externalRef
   * comes back, which is the caller's own when it got it or held it already.
   * A dry run cannot ask the target, so this is how it finds the second of
   * two equal addresses, as the target's `duplicate_address` would.
   */
  public async claimIdentity(key: LedgerKey, identity: string): Promise<string> {
    if (!this.dryRun) throw new Error('identity claims are kept in a dry run only: a real run asks the target');
    const pk = identityPartition(key, this.dryRun.runId);
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
    const keys = [...new Set(externalRefs)].map((externalRef) => entryKey({ customer, collection, externalRef }, this.dryRun?.runId));
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
    const pk = ledgerPartition(customer, collection, database, this.dryRun?.runId);
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
        pk: entryPartition(key, this.dryRun?.runId),
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
        pk: entryPartition(entry, this.dryRun?.runId),
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
    const change = outcome.status === 'migrated' ? migrationClauses(outcome) : await this.failureClauses(key, runId, outcome);
    return this.conditionalUpdate(
      key,
      { set: { ...set, ...change.set }, remove: change.remove },
      'attribute_not_exists(#status) OR #status <> :migrated OR :status = :migrated',
    );
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
    const change = outcome.status === 'failed' ? await this.failureClauses(key, runId, outcome) : updateClauses(outcome);
    return this.conditionalUpdate(key, { set: { ...set, ...change.set }, remove: change.remove }, '#status = :migrated');
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
    const set = { delta: outcome.status, runId, runCollection: entryRunPartition(runId, key), updatedAt: new Date().toISOString() };
    const clauses: UpdateClauses =
      outcome.status === 'deleted'
        ? { set: { ...set, status: 'removed' }, remove: ['code', 'message', 'field', 'value'], add: { generation: 1 } }
        : { set: { ...set, code: outcome.code, message: outcome.message, value: outcome.reason } };
    return this.conditionalUpdate(key, clauses, '#status = :migrated');
  }

  /** What a failure sets on an entry (code, message, field, value, payload) and what it removes (a field, value or payload of an earlier failure it has not). */
  private async failureClauses(
    key: LedgerKey,
    runId: string,
    outcome: RecordFailure & { payload?: unknown },
  ): Promise<{ set: Record<string, unknown>; remove: string[] }> {
    const set: Record<string, unknown> = { code: outcome.code, message: outcome.message };
    const remove: string[] = [];
    for (const name of ['field', 'value'] as const) {
      if (outcome[name]) set[name] = outcome[name];
      else remove.push(name);
    }
    if (outcome.payload === undefined) return { set, remove };
    const payload = await this.offload.clauses(key, runId, outcome.payload);
    return { set: { ...set, ...payload.set }, remove: [...remove, ...payload.remove] };
  }

  /**
   * One UpdateItem of a record's entry under a condition, counting the write
   * in `attempts` (and adding to what `clauses.add` names, a removal's
   * `generation`: a new one starts at 1); false when the condition does not hold.
   */
  private async conditionalUpdate(key: LedgerKey, clauses: UpdateClauses, condition: string): Promise<boolean> {
    const update = updateExpression(
      { set: { ...clauses.set, ...this.expiry() }, add: { attempts: 1, ...clauses.add }, remove: clauses.remove ?? [] },
      { expression: condition, names: { '#status': 'status' }, values: { ':migrated': 'migrated' } },
    );
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: entryKey(key, this.dryRun?.runId), ...update }));
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
          Key: entryKey(key, this.dryRun?.runId),
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
}

/** What an outcome sets on an entry, and what it removes (what an earlier outcome left that this one has not). */
type EntryChange = Required<Pick<UpdateClauses, 'set' | 'remove'>>;

/** What a migration sets on an entry: the target's id and what the write left; an earlier failure and delta go. */
function migrationClauses(outcome: Extract<RecordOutcome, { status: 'migrated' }>): EntryChange {
  const set: Record<string, unknown> = { targetId: outcome.targetId };
  for (const name of ['origin', 'targetVersion', 'fieldHashes', 'migratedChecksum'] as const) if (outcome[name] !== undefined) set[name] = outcome[name];
  return { set, remove: ['code', 'message', 'field', 'value', 'payload', 'payloadKey', 'delta'] };
}

/** What a delta's update that went through (sent, or nothing to send) sets on a migrated entry; an earlier failure goes. */
function updateClauses(outcome: Exclude<UpdateOutcome, { status: 'failed' }>): EntryChange {
  const set: Record<string, unknown> = { migratedChecksum: outcome.migratedChecksum };
  if (outcome.status === 'updated') {
    set.fieldHashes = outcome.fieldHashes;
    if (outcome.targetVersion !== undefined) set.targetVersion = outcome.targetVersion;
  }
  return { set, remove: ['code', 'message', 'field', 'value', 'payload', 'payloadKey'] };
}
