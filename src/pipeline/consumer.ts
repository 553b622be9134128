import { type CollectionDefinition, definitionOf, recordPathOf, sharingRecordWith } from '../domain/collections/index.ts';
import { fieldHashesOf, type MappedRequest, type ParentOutcome } from '../domain/mapping/index.ts';
import type { ResolvedProfile } from '../profile/index.ts';
import { type Collection, StatusMaps } from '../domain/index.ts';
import type { LedgerEntry, RecordOutcome } from '../ledger/index.ts';
import type { DeltaAnswer } from './delta-update.ts';
import { countWritten, type DeliveryResult, emptyResult, settle } from './delivery-outcomes.ts';
import { isFinalInRun, isUpdate, planCalls } from './delivery-plan.ts';
import { duplicateIdentity, dryRunTargetId } from './dry-run.ts';
import { TransientDeliveryError } from './errors.ts';
import { assertQueueMessage } from './queue-message.ts';
import { RunGate } from './run-gate.ts';
import { type CallOutcome, idempotencyKey } from './target-answer.ts';
import { TargetCaller } from './target-caller.ts';
import type {
  ClaimStore,
  DeliveryPlan,
  PipelineLedger,
  PipelineRuns,
  PlannedCall,
  QueueMessage,
  QueuedRecord,
  RatePacer,
  SendTally,
  TargetSender,
} from './types.ts';

/** What the consumer needs from the outside; created once per warm instance. */
export interface ConsumerDependencies {
  ledger: PipelineLedger;
  runs: PipelineRuns;
  store: ClaimStore;
  targetClient(customer: string, timeoutMs: number): Promise<TargetSender>;
  targetLimiter(customer: string, requestsPerSecond: number): RatePacer;
  profile(customer: string): Promise<ResolvedProfile>;
  /** Deliveries before SQS dead-letters a message: the last one records `transient_exhausted`. */
  maxReceiveCount: number;
  /** Pause between two tries of one call within a delivery (ms, doubled each try). */
  retryDelayMs?: number;
}

/**
 * The consumer of one SQS message: maps each record, calls FiberConnect at the
 * customer's shared rate with an Idempotency-Key derived from the record, and
 * writes every outcome to the ledger. Permanent failures are recorded and not
 * retried; transient ones are retried a few times within the delivery, then
 * left to SQS (the message fails and comes back), and on the last delivery
 * recorded as `transient_exhausted` before SQS dead-letters the message.
 * A redelivered message skips the records that already have a final outcome
 * in its run; a redriven one tries its `transient_exhausted` records again.
 *
 * @example
 * ```ts
 * const consumer = new Consumer({ ledger, runs, store, targetClient, targetLimiter, profile, maxReceiveCount: 5 });
 * const result = await consumer.deliver(JSON.parse(sqsRecord.body), Number(sqsRecord.attributes.ApproximateReceiveCount), deadline);
 * ```
 */
export class Consumer {
  private readonly gate: RunGate;

  public constructor(private readonly deps: ConsumerDependencies) {
    this.gate = new RunGate(deps.runs);
  }

  /**
   * Processes one message in four steps: plan each record's call from its
   * ledger entry, send the calls (with retries), record the outcomes, and
   * classify what is left. Throws {@link TransientDeliveryError} when some
   * records must come again. Every call ends by `deadline` (ms since epoch,
   * a little before the Lambda's timeout), so the outcomes and their counters
   * are written before the Lambda stops: what is left comes back with the message.
   */
  public async deliver(message: QueueMessage, receiveCount: number, deadline = Number.POSITIVE_INFINITY): Promise<DeliveryResult> {
    // Before anything is read or sent: a malformed message is never a request (it fails, SQS dead-letters it).
    assertQueueMessage(message);
    const lastDelivery = receiveCount >= this.deps.maxReceiveCount;
    // A message of the batch reached after the deadline comes back whole, nothing written (the last delivery still writes its transient_exhausted).
    if (Date.now() >= deadline && !lastDelivery) throw outOfTime(message, receiveCount);
    if (await this.gate.isStale(message)) return { ...emptyResult(), stale: true };
    // A dry run writes only to its own namespace: the real entries stay exactly as they were.
    const ledger = message.dryRun === true ? this.deps.ledger.forDryRun(message.runId) : this.deps.ledger;
    const refs = message.records.map((r) => r.externalRef);
    const known = await ledger.getMany(message.customer, message.collection, refs);
    // A record with a final outcome in this run was done by an earlier delivery of the same message: never call the target for it again.
    const pending = message.records.filter((record) => !isFinalInRun(known.get(record.externalRef), message.runId));
    if (pending.length === 0) return emptyResult();
    const plan = await this.plan(message, pending, known, ledger);
    const tally = message.dryRun === true ? await this.dryRun(message, ledger, plan) : await this.send(message, plan, lastDelivery, deadline);
    const result = await this.record(message, ledger, plan, known);
    result.retry = tally.transient;
    if (tally.refused !== undefined) await this.gate.refuse(message, tally.refused);
    if (tally.transient > 0 && !lastDelivery) throw comesBack(message, tally.transient, receiveCount);
    if (tally.transient > 0) throw deadLettered(message, tally.transient, receiveCount);
    return result;
  }

  /** Step 1: maps the records and plans their calls (parents, document bytes and, for a part's update, its whole's version read in bulk). */
  private async plan(message: QueueMessage, pending: QueuedRecord[], known: Map<string, LedgerEntry>, ledger: PipelineLedger): Promise<DeliveryPlan> {
    const definition = definitionOf(message.collection) as unknown as CollectionDefinition;
    const dryRun = message.dryRun === true;
    const profile = await this.deps.profile(message.customer);
    const parents = await this.parentOutcomes(message, definition, pending, dryRun ? ledger : undefined);
    const ctx = {
      customer: message.customer,
      database: message.database,
      statusMaps: StatusMaps.resolve(profile.statusMaps, message.settings),
      timeZone: profile.timeZone,
      options: { migrateCompletedProjects: message.migrateCompletedProjects },
      parent: (collection: Collection, legacyId: number): ParentOutcome | undefined => parents.get(`${collection}#${legacyId}`),
    };
    const updates = pending.filter((record) => isUpdate(record, known)).map((record) => record.externalRef);
    const wholes =
      definition.partOf && !dryRun && updates.length > 0
        ? await this.deps.ledger.getMany(message.customer, definition.partOf, updates)
        : new Map<string, LedgerEntry>();
    // Documents' bytes come back from their claim checks, all at once.
    const contents = await Promise.all(pending.map((record) => (record.claim ? this.deps.store.get(record.claim.key) : undefined)));
    return planCalls(pending, { definition, ctx, known, wholes, contents });
  }

  /** Step 2: sends the planned calls and settles their answers; an ordered collection's in id order, the others side by side. */
  private async send(message: QueueMessage, plan: DeliveryPlan, lastDelivery: boolean, deadline: number): Promise<SendTally> {
    const tally: SendTally = { transient: 0 };
    if (plan.calls.length === 0) return tally;
    const client = await this.deps.targetClient(message.customer, message.requestTimeoutSeconds * 1000);
    const limiter = this.deps.targetLimiter(message.customer, message.targetRps);
    const caller = new TargetCaller(client, limiter, {
      maxAttempts: message.maxAttempts,
      deadline,
      ...(this.deps.retryDelayMs !== undefined ? { retryDelayMs: this.deps.retryDelayMs } : {}),
    });
    const sendOne = async (call: PlannedCall, slot?: number): Promise<boolean> =>
      settle(call, await this.callOnce(caller, message, call, slot), plan, lastDelivery, tally);
    if (definitionOf(message.collection).ordered) {
      // In id order, and a transient failure stops the rest: a later record must never overtake an earlier one.
      for (const [index, call] of plan.calls.entries()) {
        if (await sendOne(call)) continue;
        tally.transient += plan.calls.length - index - 1;
        break;
      }
    } else {
      // One limiter call for the whole message: each first try leaves at its own slot time.
      const slots = await caller.slots(plan.calls.length);
      await Promise.all(plan.calls.map((call, index) => sendOne(call, slots[index])));
    }
    return tally;
  }

  /** One planned call: a delta's update, or a create; an adopted record's current version is read, for a later `If-Match`. */
  private async callOnce(caller: TargetCaller, message: QueueMessage, call: PlannedCall, slot?: number): Promise<CallOutcome | DeltaAnswer> {
    const { record, request, update } = call;
    if (update) return caller.update(request, update, message.collection, recordPathOf(message.collection, request, update.targetId), slot);
    const key = request.method === 'POST' ? idempotencyKey(message.customer, message.collection, request, record.generation) : undefined;
    const outcome = await caller.create(request, key, slot);
    if (outcome.status !== 'migrated' || outcome.origin !== 'adopted') return outcome;
    // An adopted record was there before: the version a later If-Match needs is the one it has now.
    const targetVersion = await caller.readVersion(recordPathOf(message.collection, request, outcome.targetId));
    return { ...outcome, ...(targetVersion !== undefined ? { targetVersion } : {}) };
  }

  /** Step 2 of a dry run: nothing is sent; a delta's update "would be updated", a create gets what a real call would most likely answer. */
  private async dryRun(message: QueueMessage, ledger: PipelineLedger, plan: DeliveryPlan): Promise<SendTally> {
    for (const { record, request, update } of plan.calls) {
      if (update) plan.updates.set(record.externalRef, { status: 'updated', fieldHashes: fieldHashesOf(request), migratedChecksum: record.checksum });
      else plan.outcomes.set(record.externalRef, await this.dryOutcome(ledger, message, record, request));
    }
    return { transient: 0 };
  }

  /** Step 3: writes every outcome and update to the ledger, the shared record's version to its other entry, and the run's counters. */
  private async record(message: QueueMessage, ledger: PipelineLedger, plan: DeliveryPlan, known: Map<string, LedgerEntry>): Promise<DeliveryResult> {
    const key = (externalRef: string) => ({ customer: message.customer, collection: message.collection, externalRef });
    const written = {
      outcomes: await Promise.all([...plan.outcomes].map(([externalRef, outcome]) => ledger.recordOutcome(key(externalRef), message.runId, outcome))),
      updates: await Promise.all([...plan.updates].map(([externalRef, outcome]) => ledger.recordUpdate(key(externalRef), message.runId, outcome))),
    };
    if (message.dryRun !== true) await this.noteSharedVersions(message, plan, known);
    const { result, replaced } = countWritten(plan, written, known, message.runId);
    const { migrated, updated, unchanged, skipped } = result;
    await this.deps.runs.addOutcomes(
      message.customer,
      message.runId,
      message.collection,
      { migrated, updated, unchanged, failed: result.failed - replaced, skipped },
      message.database,
    );
    return result;
  }

  /**
   * The engine's latest write to a FiberConnect record that two ledger
   * collections write (a work order and its update: {@link sharingRecordWith})
   * is the latest of both: the other entry takes its version too (never
   * lowered; an entry not migrated yet is left alone).
   */
  private async noteSharedVersions(message: QueueMessage, plan: DeliveryPlan, known: Map<string, LedgerEntry>): Promise<void> {
    const other = sharingRecordWith(message.collection);
    if (!other) return;
    const versions: [string, string, number][] = [];
    for (const [externalRef, outcome] of plan.outcomes)
      if (outcome.status === 'migrated' && outcome.targetVersion !== undefined) versions.push([externalRef, outcome.targetId, outcome.targetVersion]);
    for (const [externalRef, outcome] of plan.updates)
      if (outcome.status === 'updated' && outcome.targetVersion !== undefined)
        versions.push([externalRef, known.get(externalRef)!.targetId!, outcome.targetVersion]);
    await Promise.all(
      versions.map(([externalRef, targetId, version]) =>
        this.deps.ledger.noteTargetVersion({ customer: message.customer, collection: other, externalRef }, targetId, version),
      ),
    );
  }

  /**
   * What a real run's call would most likely answer, known without the call:
   * the second of two equal addresses in a project is a `duplicate` (the
   * target's `duplicate_address`); anything else would be migrated, under a
   * placeholder id its children are mapped with (never sent).
   */
  private async dryOutcome(ledger: PipelineLedger, message: QueueMessage, record: QueuedRecord, request: MappedRequest<unknown>): Promise<RecordOutcome> {
    const identity = duplicateIdentity(message.collection, request.body);
    if (identity !== undefined) {
      const holder = await ledger.claimIdentity({ customer: message.customer, collection: message.collection, externalRef: record.externalRef }, identity);
      if (holder !== record.externalRef) {
        return {
          status: 'failed',
          code: 'duplicate',
          message: `this address already has a connection in the project (${holder}), found in the source by the dry run`,
          payload: record.row,
        };
      }
    }
    return { status: 'migrated', targetId: dryRunTargetId(record.externalRef) };
  }

  /**
   * Parent outcomes of the records, from the ledger in bulk, keyed
   * `collection#legacyId`. A dry run reads its own namespace first, then the
   * real ledger for the parents it did not touch (migrated by earlier runs).
   */
  private async parentOutcomes(
    message: QueueMessage,
    definition: CollectionDefinition,
    records: readonly QueuedRecord[],
    dryLedger?: PipelineLedger,
  ): Promise<Map<string, ParentOutcome>> {
    const wanted = new Map<Collection, Map<string, number>>();
    for (const parent of definition.parents) {
      for (const record of records) {
        const legacyId = record.row[parent.column];
        if (legacyId === null || legacyId === undefined) continue;
        const refs = wanted.get(parent.collection) ?? new Map<string, number>();
        refs.set(`${message.database}:${parent.table}:${legacyId}`, Number(legacyId));
        wanted.set(parent.collection, refs);
      }
    }
    const outcomes = new Map<string, ParentOutcome>();
    for (const [collection, refs] of wanted) {
      const entries = dryLedger ? await dryLedger.getMany(message.customer, collection, [...refs.keys()]) : new Map<string, LedgerEntry>();
      const unknown = [...refs.keys()].filter((externalRef) => !entries.has(externalRef));
      if (unknown.length > 0)
        for (const [externalRef, entry] of await this.deps.ledger.getMany(message.customer, collection, unknown)) entries.set(externalRef, entry);
      for (const [externalRef, legacyId] of refs) {
        const outcome = toParentOutcome(entries.get(externalRef));
        if (outcome) outcomes.set(`${collection}#${legacyId}`, outcome);
      }
    }
    return outcomes;
  }
}

/** The delivery's error when its time was up before its message: the message comes back whole, nothing written. */
function outOfTime(message: QueueMessage, receiveCount: number): TransientDeliveryError {
  return new TransientDeliveryError(`the delivery ran out of time before ${message.collection}'s message; it comes back`, {
    collection: message.collection,
    records: message.records.length,
    receiveCount,
  });
}

/** The delivery's error when records hit transient errors: they come again with the message. */
function comesBack(message: QueueMessage, records: number, receiveCount: number): TransientDeliveryError {
  return new TransientDeliveryError(`${records} record(s) of ${message.collection} hit transient errors; the message comes back`, {
    collection: message.collection,
    records,
    receiveCount,
  });
}

/** The last delivery's error: the records that used up their retries are recorded, and SQS dead-letters the message. */
function deadLettered(message: QueueMessage, records: number, receiveCount: number): TransientDeliveryError {
  return new TransientDeliveryError(`${records} record(s) of ${message.collection} used up their retries; the message goes to the dead-letter queue`, {
    collection: message.collection,
    records,
    receiveCount,
  });
}

function toParentOutcome(entry: LedgerEntry | undefined): ParentOutcome | undefined {
  if (!entry) return undefined;
  if (entry.status === 'migrated' && entry.targetId) return { state: 'migrated', targetId: entry.targetId };
  if ((entry.status === 'failed' || entry.status === 'skipped') && entry.code) return { state: entry.status, code: entry.code };
  return undefined;
}
