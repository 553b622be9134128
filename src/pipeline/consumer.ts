import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { SHARED_TARGET_RECORD, SKIP_CODES } from '../domain/constants.ts';
import { definitionOf } from '../domain/collections/index.ts';
import type { CollectionDefinition } from '../domain/collections/index.ts';
import { fieldHashesOf, type FieldHashes } from '../domain/mapping/field-hashes.ts';
import type { MappedRequest, ParentOutcome } from '../domain/mapping/types.ts';
import type { ResolvedProfile } from '../profile/types.ts';
import { StatusMaps } from '../domain/status-map.ts';
import type { Collection, FailureCode } from '../domain/types.ts';
import type { LedgerEntry, RecordOutcome, UpdateOutcome } from '../ledger/types.ts';
import { REFUSED_TOKEN_STATUSES, refusedTokenMessage, TargetError, TargetRefusedError } from '../target/errors.ts';
import type { ApiErrorBody, TargetRequest, TargetResponse } from '../target/types.ts';
import { classifyDeltaAnswer, deltaRequest, type DeltaAnswer } from './delta-update.ts';
import { duplicateIdentity, dryRunTargetId } from './dry-run.ts';
import { boundedCall } from './deadline.ts';
import { TransientDeliveryError } from './errors.ts';
import { assertQueueMessage } from './queue-message.ts';
import type { ClaimStore, PipelineLedger, PipelineRuns, QueueMessage, QueuedRecord, RatePacer, TargetSender } from './types.ts';

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

/** What one delivery did. */
export interface DeliveryResult {
  /** The message belonged to a run that is no longer the customer's latest (real or dry), or that FiberConnect's refused token stopped: dropped, nothing written. */
  stale: boolean;
  migrated: number;
  /** Migrated records whose changed fields were sent (a delta). */
  updated: number;
  /** Migrated records whose row changed but no mapped field did: nothing sent (counted as already migrated). */
  unchanged: number;
  failed: number;
  skipped: number;
  /** Records left for the next delivery (transient errors). */
  retry: number;
}

/** Idempotency-Key of one record's call: the same record with the same body always sends the same key. */
export function idempotencyKey(customer: string, collection: Collection, request: MappedRequest<unknown>, generation = 0): string {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.from(JSON.stringify(request.body));
  // A record created again after a rollback removed it needs a new key: the target replays a key's answer even after the deletion.
  const hash = createHash('sha256').update(`${customer}\n${collection}\n${request.externalRef}\n`);
  if (generation > 0) hash.update(`generation ${generation}\n`);
  return hash.update(body).digest('hex');
}

type Transient = { status: 'transient'; message: string; retryAfterSeconds?: number; pauseEveryone?: boolean };
/** FiberConnect refused the token (401, 403): no outcome for the record, the run stops. */
type Refused = { status: 'refused'; message: string };
type CallOutcome = RecordOutcome | Transient | Refused;

/** A delta's update of one migrated record, ready to send. */
interface PendingUpdate {
  targetId: string;
  /** What the engine last sent (the record's ledger entry). */
  previous?: FieldHashes;
  /** The changed fields (dotted paths). */
  fields: string[];
  send: TargetRequest;
  /** The record's version after the engine's last write; absent (adopted before versions were read): read before the write. */
  version?: number;
}

/** Longest pause between two tries of one call. */
const MAX_BACKOFF_MS = 2_000;

/**
 * Whether an id FiberConnect gave can stand in a later request's path: not
 * `.` or `..` (which encodeURIComponent leaves as they are, and a URL
 * resolves to the parent: a DELETE of `/v1/projects/..` is a DELETE of
 * `/v1/`), no control character, at most 255 characters. The queue-message
 * schema holds removals to the same rule.
 */
export function isUsableTargetId(id: unknown): id is string {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  return typeof id === 'string' && id.length > 0 && id.length <= 255 && id !== '.' && id !== '..' && !/[\u0000-\u001f\u007f]/.test(id);
}

/** Sorts one target answer into an outcome (docs/fiberconnect-api.md, errors, and docs/mapping.md step 6). */
export function classifyAnswer(response: TargetResponse<unknown>, request: MappedRequest<unknown>): CallOutcome {
  const { status } = response;
  const body = response.body as { id?: string; version?: number } & Partial<ApiErrorBody>;
  if (status >= 200 && status < 300) {
    // A PATCH answers the work order itself, whose id is in the path (encoded by the engine); any other answer must name what it created (a document's id is not its work order's).
    const inPath = request.method === 'PATCH' ? request.path.match(/^\/v1\/work-orders\/([^/]+)$/)?.[1] : undefined;
    const targetId = typeof body?.id === 'string' ? body.id : inPath === undefined ? undefined : decodeURIComponent(inPath);
    if (!targetId) return { status: 'failed', code: 'rejected_by_target', message: `answer ${status} carried no id` };
    if (!isUsableTargetId(targetId))
      return {
        status: 'failed',
        code: 'rejected_by_target',
        message: `answer ${status} carried the id ${JSON.stringify(targetId)}, which no later request may put in a path`,
      };
    // A PATCH changes a record the engine made earlier: it creates nothing.
    return {
      status: 'migrated',
      targetId,
      ...(request.method === 'PATCH' ? {} : { origin: 'created' as const }),
      ...(typeof body.version === 'number' ? { targetVersion: body.version } : {}),
    };
  }
  const error = body?.error;
  const message = error?.message ?? `HTTP ${status}`;
  // Whatever the body (JSON, a gateway's HTML login page): no request of this customer can succeed now.
  if (REFUSED_TOKEN_STATUSES.includes(status)) return { status: 'refused', message: `${status}${error?.code ? ` ${error.code}` : ''}: ${message}` };
  if (status === 429 || status >= 500) {
    return {
      status: 'transient',
      message: `${status} ${message}`,
      pauseEveryone: status === 429,
      ...(response.retryAfterSeconds !== undefined ? { retryAfterSeconds: response.retryAfterSeconds } : {}),
    };
  }
  if (status === 409 && error?.code === 'duplicate_external_ref' && error.existingId) {
    if (!isUsableTargetId(error.existingId))
      return {
        status: 'failed',
        code: 'rejected_by_target',
        message: `409 named the existing id ${JSON.stringify(error.existingId)}, which no later request may put in a path`,
      };
    return { status: 'migrated', targetId: error.existingId, origin: 'adopted' };
  }
  if (status === 409 && error?.code === 'duplicate_address') return { status: 'failed', code: 'duplicate', message };
  // The target's planboard job is not done yet: try again later, it is not the record's fault.
  if (status === 409 && error?.code === 'planboard_not_ready') return { status: 'transient', message };
  const field = error?.details?.[0]?.field;
  const code: FailureCode = status === 413 ? 'too_large' : error?.code === 'digest_mismatch' ? 'checksum_mismatch' : 'rejected_by_target';
  return { status: 'failed', code, message: `${status} ${error?.code ?? ''}: ${message}`.trim(), ...(field ? { field } : {}) };
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
 */
export class Consumer {
  private readonly latestRun = new Map<string, { runId?: string; at: number }>();
  /** Runs whose token FiberConnect refused, and when each other run was last checked for it. */
  private readonly refusedRuns = new Set<string>();
  private readonly refusalChecked = new Map<string, number>();

  public constructor(private readonly deps: ConsumerDependencies) {}

  /**
   * Processes one message; throws {@link TransientDeliveryError} when some
   * records must come again. Every call ends by `deadline` (ms since epoch,
   * a little before the Lambda's timeout), so the outcomes and their counters
   * are written before the Lambda stops: what is left comes back with the message.
   */
  public async deliver(message: QueueMessage, receiveCount: number, deadline = Number.POSITIVE_INFINITY): Promise<DeliveryResult> {
    // Before anything is read or sent: a malformed message is never a request (it fails, SQS dead-letters it).
    assertQueueMessage(message);
    const result: DeliveryResult = { stale: false, migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, retry: 0 };
    // A message of the batch reached after the deadline comes back whole, nothing written (the last delivery still writes its transient_exhausted).
    if (Date.now() >= deadline && receiveCount < this.deps.maxReceiveCount) {
      throw new TransientDeliveryError(`the delivery ran out of time before ${message.collection}'s message; it comes back`, {
        collection: message.collection,
        records: message.records.length,
        receiveCount,
      });
    }
    const dryRun = message.dryRun === true;
    if (!(await this.isLatestRun(message.customer, message.runId, dryRun))) return { ...result, stale: true };
    // A run whose token FiberConnect refused sends nothing more: its records keep no outcome, a re-run (with a good token) takes them.
    if (!dryRun && (await this.refusalOf(message.customer, message.runId))) return { ...result, stale: true };
    const definition = definitionOf(message.collection) as unknown as CollectionDefinition;
    const key = (externalRef: string) => ({ customer: message.customer, collection: message.collection, externalRef });
    // A dry run writes only to its own namespace: the real entries stay exactly as they were.
    const ledger = dryRun ? this.deps.ledger.forDryRun(message.runId) : this.deps.ledger;
    const known = await ledger.getMany(
      message.customer,
      message.collection,
      message.records.map((r) => r.externalRef),
    );
    // A record with a final outcome in this run was done by an earlier delivery of the same message: never call the target for it again.
    const pending = message.records.filter((record) => !isFinalInRun(known.get(record.externalRef), message.runId));
    if (pending.length === 0) return result;

    const profile = await this.deps.profile(message.customer);
    const parents = await this.parentOutcomes(message, definition, pending, dryRun ? ledger : undefined);
    const ctx = {
      customer: message.customer,
      databaseName: message.database,
      statusMaps: StatusMaps.resolve(profile.statusMaps, message.settings),
      timeZone: profile.timeZone,
      options: { migrateCompletedProjects: message.migrateCompletedProjects },
      parent: (collection: Collection, legacyId: number): ParentOutcome | undefined => parents.get(`${collection}#${legacyId}`),
    };

    const outcomes = new Map<string, RecordOutcome>();
    const updates = new Map<string, UpdateOutcome>();
    // A delta's update patches what is in the target: only a record the ledger still shows migrated is one (a rollback may have removed it since).
    const isUpdate = (record: QueuedRecord): boolean =>
      record.update === true && known.get(record.externalRef)?.status === 'migrated' && known.get(record.externalRef)?.targetId !== undefined;
    // A work-order update's If-Match is its work order's latest version by the engine (the work-orders pass of this run may have raised it).
    const workOrders =
      message.collection === 'work-order-updates' && !dryRun && pending.some(isUpdate)
        ? await this.deps.ledger.getMany(
            message.customer,
            'work-orders',
            pending.filter(isUpdate).map((r) => r.externalRef),
          )
        : new Map<string, LedgerEntry>();
    const requests: { record: QueuedRecord; request: MappedRequest<unknown>; update?: PendingUpdate }[] = [];
    // Documents' bytes come back from their claim checks, all at once.
    const contents = await Promise.all(pending.map((record) => (record.claim ? this.deps.store.get(record.claim.key) : undefined)));
    for (const [index, record] of pending.entries()) {
      const content = contents[index];
      const row = content ? { ...record.row, content } : record.row;
      const mapped = definition.map(row as never, ctx);
      if (!mapped.ok) {
        // A changed row that no longer validates fails; the target keeps the version it had, and the entry its target id for a later fix.
        if (isUpdate(record)) updates.set(record.externalRef, { status: 'failed', ...mapped.failure, payload: record.row });
        else
          outcomes.set(record.externalRef, {
            status: (SKIP_CODES as readonly string[]).includes(mapped.failure.code) ? 'skipped' : 'failed',
            ...mapped.failure,
            payload: record.row,
          });
        continue;
      }
      const request = mapped.body as MappedRequest<unknown>;
      if (!isUpdate(record)) {
        requests.push({ record, request });
        continue;
      }
      const entry = known.get(record.externalRef)!;
      const version =
        message.collection === 'work-order-updates' ? (workOrders.get(record.externalRef)?.targetVersion ?? entry.targetVersion) : entry.targetVersion;
      const delta = deltaRequest(message.collection, request, entry.targetId!, entry.fieldHashes, version);
      // Only updated_at (or another unmapped column) changed: nothing to send.
      if (delta.kind === 'unchanged') updates.set(record.externalRef, { status: 'unchanged', migratedChecksum: record.checksum });
      else
        requests.push({
          record,
          request,
          update: {
            targetId: entry.targetId!,
            ...(entry.fieldHashes ? { previous: entry.fieldHashes } : {}),
            fields: delta.fields,
            send: delta.request,
            ...(version !== undefined ? { version } : {}),
          },
        });
    }

    const lastDelivery = receiveCount >= this.deps.maxReceiveCount;
    let transient = 0;
    let refused: string | undefined;
    if (dryRun) {
      for (const { record, request, update } of requests) {
        // A dry run's update would be sent: "would be updated".
        if (update) updates.set(record.externalRef, { status: 'updated', fieldHashes: fieldHashesOf(request), migratedChecksum: record.checksum });
        else outcomes.set(record.externalRef, await this.dryOutcome(ledger, message, record, request));
      }
    } else if (requests.length > 0) {
      const client = await this.deps.targetClient(message.customer, message.requestTimeoutSeconds * 1000);
      const limiter = this.deps.targetLimiter(message.customer, message.targetRps);
      const send = async ({ record, request, update }: (typeof requests)[number], slot?: number): Promise<boolean> => {
        if (update) {
          const answer = await this.sendUpdate(client, limiter, message, request, update, deadline, slot);
          if (answer.status === 'refused') {
            refused ??= answer.message;
            return false;
          }
          if (answer.status !== 'transient') {
            updates.set(record.externalRef, updateOutcomeOf(answer, request, record));
            return true;
          }
          transient += 1;
          if (lastDelivery) updates.set(record.externalRef, { status: 'failed', code: 'transient_exhausted', message: answer.message, payload: record.row });
          return false;
        }
        const outcome = await this.call(client, limiter, message, request, deadline, slot, record.generation);
        if (outcome.status === 'refused') {
          refused ??= outcome.message;
          return false;
        }
        if (outcome.status === 'migrated') {
          // An adopted record was there before: the version a later If-Match needs is the one it has now.
          const targetVersion =
            outcome.origin === 'adopted'
              ? await this.readVersion(client, limiter, `${request.path}/${encodeURIComponent(outcome.targetId)}`, deadline)
              : outcome.targetVersion;
          outcomes.set(record.externalRef, {
            ...outcome,
            ...(targetVersion !== undefined ? { targetVersion } : {}),
            fieldHashes: fieldHashesOf(request),
            migratedChecksum: record.checksum,
          });
          return true;
        }
        if (outcome.status !== 'transient') {
          outcomes.set(record.externalRef, { ...outcome, payload: record.row });
          return true;
        }
        transient += 1;
        if (lastDelivery) outcomes.set(record.externalRef, { status: 'failed', code: 'transient_exhausted', message: outcome.message, payload: record.row });
        return false;
      };
      if (definition.ordered) {
        // In id order, and a transient failure stops the rest: a later record must never overtake an earlier one.
        for (const [index, item] of requests.entries()) {
          if (!(await send(item))) {
            transient += requests.length - index - 1;
            break;
          }
        }
      } else {
        // One limiter call for the whole message: each first try leaves at its own slot time.
        const slots = await limiter.acquire(requests.length);
        await Promise.all(requests.map((item, index) => send(item, slots[index])));
      }
    }

    const written = await Promise.all([...outcomes].map(([externalRef, outcome]) => ledger.recordOutcome(key(externalRef), message.runId, outcome)));
    const updatesWritten = await Promise.all([...updates].map(([externalRef, outcome]) => ledger.recordUpdate(key(externalRef), message.runId, outcome)));
    if (!dryRun) await this.noteSharedVersions(message, outcomes, updates, known);
    // A redriven record's `transient_exhausted` is already in the live counters: its new outcome replaces it, so each record counts once.
    let replaced = 0;
    [...outcomes].forEach(([externalRef, outcome], index) => {
      if (!written[index]) return;
      result[outcome.status] += 1;
      if (isExhaustedInRun(known.get(externalRef), message.runId)) replaced += 1;
    });
    [...updates].forEach(([externalRef, outcome], index) => {
      if (!updatesWritten[index]) return;
      if (outcome.status !== 'failed') result[outcome.status] += 1;
      else result[(SKIP_CODES as readonly string[]).includes(outcome.code) ? 'skipped' : 'failed'] += 1;
      if (isExhaustedInRun(known.get(externalRef), message.runId)) replaced += 1;
    });
    await this.deps.runs.addOutcomes(
      message.customer,
      message.runId,
      message.collection,
      {
        migrated: result.migrated,
        updated: result.updated,
        unchanged: result.unchanged,
        failed: result.failed - replaced,
        skipped: result.skipped,
      },
      message.database,
    );
    result.retry = transient;
    if (refused !== undefined) await this.stopRun(message, refused);
    if (transient > 0 && !lastDelivery) {
      throw new TransientDeliveryError(`${transient} record(s) of ${message.collection} hit transient errors; the message comes back`, {
        collection: message.collection,
        records: transient,
        receiveCount,
      });
    }
    if (transient > 0) {
      throw new TransientDeliveryError(`${transient} record(s) of ${message.collection} used up their retries; the message goes to the dead-letter queue`, {
        collection: message.collection,
        records: transient,
        receiveCount,
      });
    }
    return result;
  }

  /**
   * FiberConnect refused the token: the run is marked so every consumer stops
   * sending and its next drain check stops it; this delivery fails (what it
   * did not send keeps no outcome).
   */
  private async stopRun(message: QueueMessage, answer: string): Promise<never> {
    const line = refusedTokenMessage(message.customer, answer);
    await this.deps.runs.markTargetRefused(message.customer, message.runId, line);
    this.refusedRuns.add(`${message.customer}#${message.runId}`);
    throw new TargetRefusedError(line, { customer: message.customer, runId: message.runId, status: Number.parseInt(answer, 10) });
  }

  /** Whether FiberConnect refused the run's token (read at most every few seconds per warm instance; a refusal is kept for good). */
  private async refusalOf(customer: string, runId: string): Promise<boolean> {
    const key = `${customer}#${runId}`;
    if (this.refusedRuns.has(key)) return true;
    const checked = this.refusalChecked.get(key);
    if (checked !== undefined && Date.now() - checked < 5_000) return false;
    this.refusalChecked.set(key, Date.now());
    if (!(await this.deps.runs.targetRefusal(customer, runId))) return false;
    this.refusedRuns.add(key);
    return true;
  }

  /**
   * The engine's latest write to a FiberConnect record that two ledger
   * collections write (a work order: {@link SHARED_TARGET_RECORD}) is the
   * latest of both: the other entry takes its version too (never lowered;
   * an entry not migrated yet is left alone).
   */
  private async noteSharedVersions(
    message: QueueMessage,
    outcomes: Map<string, RecordOutcome>,
    updates: Map<string, UpdateOutcome>,
    known: Map<string, LedgerEntry>,
  ): Promise<void> {
    const other = SHARED_TARGET_RECORD[message.collection];
    if (!other) return;
    const versions: [string, string, number][] = [];
    for (const [externalRef, outcome] of outcomes)
      if (outcome.status === 'migrated' && outcome.targetVersion !== undefined) versions.push([externalRef, outcome.targetId, outcome.targetVersion]);
    for (const [externalRef, outcome] of updates)
      if (outcome.status === 'updated' && outcome.targetVersion !== undefined)
        versions.push([externalRef, known.get(externalRef)!.targetId!, outcome.targetVersion]);
    await Promise.all(
      versions.map(([externalRef, targetId, version]) =>
        this.deps.ledger.noteTargetVersion({ customer: message.customer, collection: other, externalRef }, targetId, version),
      ),
    );
  }

  /**
   * One record's call, tried up to `maxAttempts` times on 429, 5xx, timeouts
   * and dropped connections, with capped exponential backoff. A 429 pauses
   * every instance of the customer for its Retry-After (the target says the
   * customer is too fast); a 5xx's Retry-After delays only this call.
   */
  private async call(
    client: TargetSender,
    limiter: RatePacer,
    message: QueueMessage,
    request: MappedRequest<unknown>,
    deadline: number,
    firstSlot?: number,
    generation?: number,
  ): Promise<CallOutcome> {
    const idempotency = request.method === 'POST' ? idempotencyKey(message.customer, message.collection, request, generation) : undefined;
    const send: TargetRequest = {
      method: request.method,
      path: request.path,
      body: request.body,
      headers: { ...request.headers },
      ...(idempotency ? { idempotencyKey: idempotency } : {}),
    };
    return this.tries(client, limiter, message.maxAttempts, send, deadline, firstSlot, (response) => classifyAnswer(response, request));
  }

  /**
   * A delta's PATCH (documents: PUT) of one migrated record with `If-Match`,
   * tried like {@link call}. A record adopted without a known version has
   * it read first (GET), so the write is still conditional.
   */
  private async sendUpdate(
    client: TargetSender,
    limiter: RatePacer,
    message: QueueMessage,
    request: MappedRequest<unknown>,
    update: PendingUpdate,
    deadline: number,
    firstSlot?: number,
  ): Promise<DeltaAnswer> {
    let send = update.send;
    if (update.version === undefined) {
      const path =
        message.collection === 'documents'
          ? `/v1/documents/${encodeURIComponent(update.targetId)}`
          : message.collection === 'work-order-updates'
            ? request.path
            : `${request.path}/${encodeURIComponent(update.targetId)}`;
      const version = await this.readVersion(client, limiter, path, deadline);
      if (version === undefined) return { status: 'transient', message: `the version of ${update.targetId} could not be read before its update` };
      send = { ...send, headers: { ...send.headers, 'If-Match': `"${version}"` } };
    }
    return this.tries(client, limiter, message.maxAttempts, send, deadline, firstSlot, (response) =>
      classifyDeltaAnswer(response, request, update.fields, update.previous, message.collection),
    );
  }

  /** One request, tried up to `maxAttempts` times while `classify` calls its answer transient (timeouts and dropped connections are). */
  private async tries<T extends { status: string }>(
    client: TargetSender,
    limiter: RatePacer,
    maxAttempts: number,
    send: TargetRequest,
    deadline: number,
    firstSlot: number | undefined,
    classify: (response: TargetResponse<unknown>) => T | Transient,
  ): Promise<T | Transient> {
    let last: T | Transient = { status: 'transient', message: 'not tried: the delivery ran out of time' };
    let wait = 0;
    for (let attempt = 1; attempt <= Math.max(1, maxAttempts); attempt += 1) {
      if (wait > 0) await sleep(wait);
      if (Date.now() >= deadline) return last;
      if (!(attempt === 1 && firstSlot !== undefined && (await limiter.waitFor(firstSlot)))) await limiter.acquire(1);
      // The wait for a slot may have used up the delivery's time.
      const bounded = boundedCall({ ...send, headers: { ...send.headers } }, deadline);
      if (!bounded) return last;
      try {
        last = classify(await client.send(bounded));
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        last = { status: 'transient', message: error.message };
      }
      if (last.status !== 'transient') return last;
      const transient = last as Transient;
      const backoff = Math.min(MAX_BACKOFF_MS, (this.deps.retryDelayMs ?? 200) * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      wait = Math.max(backoff, (transient.retryAfterSeconds ?? 0) * 1000);
      if (transient.pauseEveryone && transient.retryAfterSeconds !== undefined) await limiter.pause(transient.retryAfterSeconds);
      // A Retry-After past the delivery's deadline is not slept here (the Lambda would time out mid-sleep): the record goes back to the queue with its message.
      if (Date.now() + wait >= deadline) return last;
    }
    return last;
  }

  /**
   * The version an adopted record has now (`GET /v1/C/{id}`, at the shared
   * rate, once). Undefined when the target does not answer it: the record is
   * adopted all the same, and whoever writes to it next reads the version first.
   */
  private async readVersion(client: TargetSender, limiter: RatePacer, path: string, deadline: number): Promise<number | undefined> {
    await limiter.acquire(1);
    const bounded = boundedCall({ method: 'GET', path }, deadline);
    if (!bounded) return undefined;
    try {
      const response = await client.send<{ version?: number }>(bounded);
      return response.status === 200 && typeof response.body?.version === 'number' ? response.body.version : undefined;
    } catch (error) {
      if (error instanceof TargetError) return undefined;
      throw error;
    }
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

  /**
   * Whether the message belongs to the customer's latest run. A match is
   * cached for a few seconds per warm instance; a mismatch is always read
   * again, so a run that has just started is never mistaken for a stale one.
   */
  private async isLatestRun(customer: string, runId: string, dryRun: boolean): Promise<boolean> {
    // A dry run's messages are checked against the latest dry run: real and dry runs never make each other stale.
    const cacheKey = `${dryRun ? 'dry#' : ''}${customer}`;
    const cached = this.latestRun.get(cacheKey);
    if (cached?.runId === runId && Date.now() - cached.at < 5_000) return true;
    const latest = await this.deps.runs.latestRunId(customer, dryRun);
    this.latestRun.set(cacheKey, { runId: latest, at: Date.now() });
    return latest === runId;
  }
}

/** Whether the entry is a `transient_exhausted` of this run (a delta's update too): a dead-lettered delivery's outcome, which a redrive tries again. */
function isExhaustedInRun(entry: LedgerEntry | undefined, runId: string): boolean {
  return entry?.runId === runId && (entry.status === 'failed' || entry.delta === 'failed') && entry.code === 'transient_exhausted';
}

/** Whether the entry is an outcome of this run that no later delivery may change: anything but `queued` (a delta's queued update too) and a redrivable `transient_exhausted`. */
function isFinalInRun(entry: LedgerEntry | undefined, runId: string): boolean {
  return entry?.runId === runId && entry.status !== 'queued' && entry.delta !== 'queued' && !isExhaustedInRun(entry, runId);
}

/** What the ledger records of a delta's answer (transient ones are retried, never recorded here). */
function updateOutcomeOf(
  answer: Exclude<DeltaAnswer, { status: 'transient' | 'refused' }>,
  request: MappedRequest<unknown>,
  record: QueuedRecord,
): UpdateOutcome {
  if (answer.status === 'updated')
    return {
      status: 'updated',
      ...(answer.targetVersion !== undefined ? { targetVersion: answer.targetVersion } : {}),
      fieldHashes: fieldHashesOf(request),
      migratedChecksum: record.checksum,
    };
  if (answer.status === 'target_changed') return { status: 'failed', code: 'target_changed', message: answer.message, payload: record.row };
  return { status: 'failed', code: 'rejected_by_target', message: answer.message, ...(answer.field ? { field: answer.field } : {}), payload: record.row };
}

function toParentOutcome(entry: LedgerEntry | undefined): ParentOutcome | undefined {
  if (!entry) return undefined;
  if (entry.status === 'migrated' && entry.targetId) return { state: 'migrated', targetId: entry.targetId };
  if ((entry.status === 'failed' || entry.status === 'skipped') && entry.code) return { state: entry.status, code: entry.code };
  return undefined;
}
