import { createHash } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { type CollectionDefinition, definitionOf } from '../domain/collections/index.ts';
import type { Collection } from '../domain/index.ts';
import { type LedgerEntry, MAX_SOURCE_ID, type RangeCounts, type RunStore } from '../ledger/index.ts';
import { messagesIn, type QueueDepth } from '../queue/index.ts';
import type { ProgressWaitState } from '../wait/index.ts';
import { holdBack, mayHold } from './back-pressure.ts';
import { deduplicationId, encodeMessageBody, packRecords, sendMessages } from './message-packing.ts';
import { CONTENT_ERROR, readSourcePage } from './source-page.ts';
import type {
  BatchSender,
  ClaimStore,
  IdRange,
  PageState,
  PipelineLedger,
  PipelineRuns,
  QueueMessage,
  QueuedRecord,
  RatePacer,
  RunSettings,
  SettingsReader,
  SourceQueries,
} from './types.ts';
import { documentClaimKey } from './queue-message.ts';

/** What a producer step works on: one collection of one sub-project in one run. */
export interface ProducerScope {
  customer: string;
  runId: string;
  database: string;
  collection: Collection;
  options: RunSettings;
}

/** What the producer needs from the outside; created once per warm instance. */
export interface ProducerDependencies {
  /** A pool on one sub-project database. */
  sourcePool(database: string): SourceQueries;
  registry: SettingsReader;
  ledger: PipelineLedger;
  /** The run table; its outcome counter tells a held producer that the consumers are getting on. */
  runs: PipelineRuns & Pick<RunStore, 'outcomeCount'>;
  store: ClaimStore;
  sqs: BatchSender;
  queueUrl(collection: Collection): string;
  /** How full the collection's queue is: the producer holds back while it is deep. */
  queueDepth(collection: Collection): Promise<QueueDepth>;
  /** The customer's shared source read limiter (page reads per second). */
  sourceLimiter(customer: string, pagesPerSecond: number): Pick<RatePacer, 'acquire'>;
  /** Most blob bytes one page reads (default SOURCE_PAGE_BYTES, src/pipeline/constants.ts). */
  pageBytes?: number;
}

interface Bounds extends RowDataPacket {
  min_id: number | null;
  max_id: number | null;
  row_count: number;
}

/** What a page read says about how it read a row, not the row itself: left out of its checksum. */
const READ_FACTS: ReadonlySet<string> = new Set(['content_length', CONTENT_ERROR]);

/** SHA-256 of a row as read; a document's bytes count by their own hash. A verification compares it with the ledger's. */
export function rowChecksum(row: Record<string, unknown>): string {
  const hash = createHash('sha256');
  for (const [column, value] of Object.entries(row)) {
    if (READ_FACTS.has(column)) continue;
    hash.update(`${column}\u0000`);
    hash.update(Buffer.isBuffer(value) ? createHash('sha256').update(value).digest('hex') : JSON.stringify(value ?? null));
    hash.update('\u0000');
  }
  return hash.digest('hex');
}

/** Whether a migrated record's row changed since the engine last wrote it (an entry from before deltas compares the checksum it was queued with). */
function changedSince(entry: LedgerEntry, checksum: string): boolean {
  const last = entry.migratedChecksum ?? entry.sourceChecksum;
  return last !== undefined && last !== checksum;
}

/** Whether RETRY_FAILED takes a record: its last outcome was a failure (a delta's too), or it never got one. */
function retryable(entry: LedgerEntry | undefined): boolean {
  return entry?.status === 'failed' || entry?.status === 'queued' || entry?.delta === 'failed' || entry?.delta === 'queued';
}

/**
 * The producer of one collection: splits the table into id ranges, then reads
 * each range in keyset pages (never OFFSET), checks the ledger in bulk, and
 * queues only what is not migrated yet or changed since it was (a delta's
 * update). Each page also asks the ledger, in one bounded Query of the
 * by-source-id index, for migrated records of the page's id span whose row
 * is gone: those are marked `deletedInSource` for the run. Document bytes go to S3; the message
 * carries the claim. Every page's figures are SET under a key of the page, so
 * a retried step overwrites its own counts instead of adding to them.
 * A dry run reads the same and queues the same, but marks the records in its
 * own ledger namespace, never in the real ledger.
 *
 * @example
 * const producer = new Producer({ sourcePool, registry, ledger, runs, store, sqs, queueUrl, queueDepth, sourceLimiter });
 * const scope = { customer: 'acme', runId, database: 'fp_acme_north', collection: 'projects', options: settings } as const;
 * const { ranges } = await producer.plan(scope);
 * // One step: produces from where the range stopped until the deadline; the state machine calls it again until `done`.
 * const page = await producer.produce(scope, ranges[0]!, { done: false }, Date.now() + 120_000);
 */
export class Producer {
  public constructor(private readonly deps: ProducerDependencies) {}

  /** Cuts the table into at most `options.producers` id ranges of similar width. */
  public async plan(scope: ProducerScope): Promise<{ ranges: IdRange[] }> {
    const definition = definitionOf(scope.collection);
    const [rows] = await this.deps.sourcePool(scope.database).query<Bounds[]>(definition.boundsQuery);
    const bounds = rows[0];
    // An empty table still has one range: the ledger may hold records whose rows are all gone.
    if (!bounds || bounds.min_id === null || bounds.max_id === null || Number(bounds.row_count) === 0)
      return { ranges: [{ id: 'r0', afterId: 0, lastId: MAX_SOURCE_ID }] };
    const min = Number(bounds.min_id);
    const max = Number(bounds.max_id);
    const pages = Math.ceil(Number(bounds.row_count) / scope.options.sourceBatchSize);
    // An ordered collection is read as one stream, so each message group gets its records in id order.
    const count = definition.ordered ? 1 : Math.max(1, Math.min(scope.options.producers, pages));
    const width = Math.ceil((max - min + 1) / count);
    const ranges: IdRange[] = [];
    for (let i = 0; i < count; i += 1) {
      const afterId = min - 1 + i * width;
      if (afterId >= max) break;
      ranges.push({ id: `r${i}`, afterId, lastId: Math.min(max, afterId + width) });
    }
    // The ends reach from id 0 to the highest id the ledger orders, so rows deleted outside the table's current span are found too.
    ranges[0]!.afterId = Math.min(ranges[0]!.afterId, 0);
    ranges[ranges.length - 1]!.lastId = MAX_SOURCE_ID;
    return { ranges };
  }

  /**
   * Produces pages of one range until it is done or `deadline` (ms since
   * epoch) has passed; returns where it stopped. Before each page it looks at
   * the queue: while the queue is deep it returns at once with its cursor and
   * a `hold` (see {@link holdBack}), having read nothing more.
   */
  public async produce(scope: ProducerScope, range: IdRange, page: PageState, deadline: number): Promise<PageState> {
    const definition = definitionOf(scope.collection) as unknown as CollectionDefinition;
    const settings = await this.statusMapSettings(scope.database);
    const limiter = this.deps.sourceLimiter(scope.customer, scope.options.sourceRps);
    let cursor = page.cursor ?? range.afterId;
    let queued = page.queued ?? 0;
    let held = page.hold;
    for (;;) {
      held = await this.holdBack(scope, held);
      if (held) return { done: false, cursor, queued, hold: held };
      await limiter.acquire(1);
      const { rows, more } = await readSourcePage(this.deps.sourcePool(scope.database), definition, {
        afterId: cursor,
        lastId: range.lastId,
        rowLimit: scope.options.sourceBatchSize,
        ...(this.deps.pageBytes ? { byteBudget: this.deps.pageBytes } : {}),
      });
      const done = !more || Number(rows[rows.length - 1]?.id ?? range.lastId) >= range.lastId;
      // The page covers its rows' ids, and the rest of the range when it is the last one.
      const spanEnd = done ? range.lastId : Number(rows[rows.length - 1]!.id);
      await this.markDeletedInSource(scope, definition, rows as Record<string, unknown>[], cursor, spanEnd);
      if (rows.length > 0) {
        queued += await this.queuePage(scope, definition, settings, rows as Record<string, unknown>[], `${scope.database}#${range.id}#${cursor}`);
        cursor = Number(rows[rows.length - 1]!.id);
      }
      if (done || Date.now() >= deadline) return { done, cursor, queued };
    }
  }

  /** Looks at the queue before a page: the hold's next state, or undefined to go on (the outcome counter is read only while the queue is deep). */
  private async holdBack(scope: ProducerScope, previous: ProgressWaitState | undefined): Promise<ProgressWaitState | undefined> {
    const depth = messagesIn(await this.deps.queueDepth(scope.collection));
    if (!mayHold(depth, previous, scope.options.queueBacklog)) return undefined;
    const completed = await this.deps.runs.outcomeCount(scope.customer, scope.runId, scope.collection);
    return holdBack({ depth, completed }, previous, {
      pollSeconds: scope.options.drainPollSeconds,
      timeoutSeconds: scope.options.drainTimeoutSeconds,
      backlog: scope.options.queueBacklog,
      recordsPerMessage: scope.options.recordsPerMessage,
    });
  }

  /**
   * Queues one page and returns how many records it sent; its figures are
   * recorded before the messages leave, so a record on its way is always counted.
   */
  private async queuePage(
    scope: ProducerScope,
    definition: CollectionDefinition,
    settings: Record<string, string>,
    rows: Record<string, unknown>[],
    pageKey: string,
  ): Promise<number> {
    const refs = rows.map((row) => definition.externalRef(scope.database, row as never));
    // A dry run reads the real ledger and lays its own entries over it; it marks only its own namespace.
    const ledger = scope.options.dryRun ? this.deps.ledger.forDryRun(scope.runId) : this.deps.ledger;
    const entries = await this.deps.ledger.getMany(scope.customer, scope.collection, refs);
    if (scope.options.dryRun) for (const [externalRef, entry] of await ledger.getMany(scope.customer, scope.collection, refs)) entries.set(externalRef, entry);
    const { counts, toQueue } = await this.sortPage(scope, definition, rows, refs, entries);
    await this.deps.runs.recordRange(scope.customer, scope.runId, scope.collection, pageKey, counts);
    if (toQueue.length === 0) return 0;
    // The ledger learns of the records before the queue does: a crash in between leaves them `queued`, never unaccounted.
    await ledger.markQueued(
      scope.runId,
      toQueue.map(({ record, previous }) => ({
        key: { customer: scope.customer, collection: scope.collection, externalRef: record.externalRef },
        sourceChecksum: record.checksum,
        ...(previous ? { previous } : {}),
      })),
    );
    await this.send(scope, settings, toQueue);
    return toQueue.length;
  }

  /** Sorts a page's rows by their ledger entries: counted as answered or already migrated, out of scope, or to queue (a document's bytes to its claim check). */
  private async sortPage(
    scope: ProducerScope,
    definition: CollectionDefinition,
    rows: Record<string, unknown>[],
    refs: string[],
    entries: Map<string, LedgerEntry>,
  ): Promise<{ counts: RangeCounts; toQueue: PageRecord[] }> {
    const counts: RangeCounts = { source: 0, alreadyMigrated: 0, queued: 0, rows: rows.length };
    const toQueue: PageRecord[] = [];
    for (const [index, row] of rows.entries()) {
      const previous = entries.get(refs[index]!);
      const decision = decide(scope, row, previous);
      if (decision === 'outOfScope') continue;
      counts.source += 1;
      if (decision === 'answered') counts.queued += 1;
      else if (decision === 'alreadyMigrated') counts.alreadyMigrated += 1;
      else {
        const record = await this.claimContent(scope, { externalRef: refs[index]!, ...decision });
        toQueue.push({
          groupId: definition.messageGroupId(row as never, scope.database, scope.options.messageGroups),
          record,
          ...(previous ? { previous } : {}),
        });
      }
    }
    counts.queued += toQueue.length;
    return { counts, toQueue };
  }

  /** A document's bytes go to the bucket (its claim check), the message carries their key, size and digest. */
  private async claimContent(scope: ProducerScope, record: QueuedRecord): Promise<QueuedRecord> {
    const content = record.row.content;
    if (!Buffer.isBuffer(content)) return record;
    const key = documentClaimKey(scope.customer, record.externalRef);
    await this.deps.store.put(key, content, 'application/octet-stream');
    return {
      ...record,
      row: { ...record.row, content: null },
      claim: { key, sizeBytes: content.length, sha256: createHash('sha256').update(content).digest('hex') },
    };
  }

  /**
   * Marks the migrated records of the id span `(afterId, lastId]` that have no
   * row on the page as `deletedInSource` for this run (one Query of the
   * by-source-id index). A dry run marks them in its own namespace.
   */
  private async markDeletedInSource(
    scope: ProducerScope,
    definition: CollectionDefinition,
    rows: readonly Record<string, unknown>[],
    afterId: number,
    lastId: number,
  ): Promise<void> {
    // A part is its whole's record (a work-order update is its work order): what is gone is listed once, under the whole.
    if (definition.partOf) return;
    const present = new Set(rows.map((row) => definition.externalRef(scope.database, row as never)));
    const gone = (await this.deps.ledger.migratedInIdRange(scope.customer, scope.collection, scope.database, afterId, lastId)).filter(
      (entry) => !present.has(entry.externalRef) && !(entry.runId === scope.runId && entry.delta !== undefined && entry.delta !== 'queued'),
    );
    if (gone.length === 0) return;
    const ledger = scope.options.dryRun ? this.deps.ledger.forDryRun(scope.runId) : this.deps.ledger;
    await ledger.markDeletedInSource(scope.runId, gone);
  }

  private async send(scope: ProducerScope, settings: Record<string, string>, records: { groupId: string; record: QueuedRecord }[]): Promise<void> {
    const envelope: Omit<QueueMessage, 'records'> = {
      v: 1,
      customer: scope.customer,
      runId: scope.runId,
      collection: scope.collection,
      database: scope.database,
      migrateCompletedProjects: scope.options.migrateCompletedProjects,
      maxAttempts: scope.options.maxAttempts,
      targetRps: scope.options.targetRps,
      requestTimeoutSeconds: scope.options.requestTimeoutSeconds,
      ...(scope.options.dryRun ? { dryRun: true } : {}),
      settings,
    };
    const envelopeBytes = Buffer.byteLength(JSON.stringify({ ...envelope, records: [] }));
    const messages = packRecords(records, scope.options.recordsPerMessage, envelopeBytes).map((message) => ({
      groupId: `${scope.database}:${message.groupId}`,
      deduplicationId: deduplicationId(scope.runId, message.records),
      body: encodeMessageBody({ ...envelope, records: message.records } satisfies QueueMessage),
    }));
    await sendMessages(this.deps.sqs, this.deps.queueUrl(scope.collection), messages, `message(s) for ${scope.collection}`);
  }

  private readonly settingsCache = new Map<string, Record<string, string>>();

  /** The sub-project's `status_map.*` settings, read once per warm instance and database. */
  private async statusMapSettings(database: string): Promise<Record<string, string>> {
    let settings = this.settingsCache.get(database);
    if (!settings) {
      const rows = await this.deps.registry.readSettings(database);
      settings = Object.fromEntries(rows.filter((row) => row.name.startsWith('status_map.')).map((row) => [row.name, row.value]));
      this.settingsCache.set(database, settings);
    }
    return settings;
  }
}

/** A page's record on its way to the queue, with the ledger entry it had (a retried page keeps it). */
interface PageRecord {
  groupId: string;
  record: QueuedRecord;
  previous?: LedgerEntry;
}

/** What a page does with one row, from its ledger entry: nothing (answered by this run, or unchanged since its migration), nothing and uncounted (RETRY_FAILED), or queue it. */
function decide(
  scope: ProducerScope,
  row: Record<string, unknown>,
  previous: LedgerEntry | undefined,
): 'answered' | 'alreadyMigrated' | 'outOfScope' | Omit<QueuedRecord, 'externalRef'> {
  // A retried producer reads a page again: what THIS run already answered is counted once, as queued, and never sent again.
  if (previous?.runId === scope.runId && previous.status !== 'queued' && previous.delta !== 'queued') return 'answered';
  const checksum = rowChecksum(row);
  const update = previous?.status === 'migrated';
  if (update && !changedSince(previous, checksum)) return 'alreadyMigrated';
  // RETRY_FAILED: only records whose last outcome was a failure (or that never got one) are in scope.
  if (scope.options.retryFailed && !retryable(previous)) return 'outOfScope';
  return { checksum, row, ...(previous?.generation ? { generation: previous.generation } : {}), ...(update ? { update: true } : {}) };
}
