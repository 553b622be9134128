import { partsOf } from '../domain/collections/index.ts';
import type { RemovalLedger } from './removal-ledger.ts';
import type { RunStore } from '../ledger/index.ts';
import {
  assertQueueMessage,
  boundedCall,
  type RatePacer,
  type RemovalMessage,
  type RemovalRecord,
  type TargetSender,
  TransientDeliveryError,
} from '../pipeline/index.ts';
import { classifyRemoval, refusedTokenMessage, type RemovalOutcome, removalRequest, TargetError, TargetRefusedError, withRetries } from '../target/index.ts';
import type { RemovalOutcomeEntry, RemovalResult } from './types.ts';

/** What the removal consumer needs from the outside; created once per warm instance. */
export interface RemoverDependencies {
  ledger: Pick<RemovalLedger, 'outcomesOf' | 'recordOutcome' | 'markRemoved' | 'noteUnanswered' | 'unansweredOf'>;
  runs: Pick<RunStore, 'liveRunId' | 'addRemovals' | 'markTargetRefused' | 'targetRefusal'>;
  targetClient(customer: string, timeoutMs: number): Promise<TargetSender>;
  targetLimiter(customer: string, requestsPerSecond: number): Pick<RatePacer, 'acquire' | 'pause'>;
  /** Deliveries before SQS dead-letters a message: the last one records the record failed. */
  maxReceiveCount: number;
  /** Pause between two tries of one DELETE within a delivery (ms, doubled each try). */
  retryDelayMs?: number;
}

/** What one removal delivery did. */
export interface RemovalDeliveryResult {
  /** The message belonged to a rollback that is no longer the customer's latest: dropped, nothing sent or written. */
  stale: boolean;
  counts: Record<RemovalResult, number>;
  /** Records left for the next delivery (transient answers). */
  retry: number;
}

/**
 * The consumer of one removal message: DELETEs each record at the
 * customer's shared target rate with `If-Match` of the version the engine
 * last wrote, and writes each outcome once (docs/rollback.md). Removed and
 * already gone: the ledger entry goes back to "not migrated" (a work order's
 * update with it). Kept (412 a person changed it, 409 a person put children
 * under it) and failed: the entry stays migrated, the outcome names why.
 * Transient answers are retried within the delivery, then left to SQS.
 * A 404 after a DELETE of this rollback that got no answer (a timeout, a
 * dropped connection; noted in the ledger for later deliveries) is counted
 * removed: that DELETE is what removed it.
 *
 * @example
 * const remover = new Remover({ ledger: engine.removals, runs: engine.runs, targetClient, targetLimiter, maxReceiveCount: engine.env.maxReceiveCount });
 * // One SQS delivery of a removal message; throws TransientDeliveryError when some records must come again.
 * const { stale, counts } = await remover.deliver(message, receiveCount, Date.now() + 60_000);
 */
export class Remover {
  public constructor(private readonly deps: RemoverDependencies) {}

  /** Processes one message; throws {@link TransientDeliveryError} when some records must come again. Every DELETE ends by `deadline`. */
  public async deliver(message: RemovalMessage, receiveCount: number, deadline = Number.POSITIVE_INFINITY): Promise<RemovalDeliveryResult> {
    // Before anything is read or sent: a malformed message is never a DELETE (it fails, SQS dead-letters it).
    assertQueueMessage(message);
    const result: RemovalDeliveryResult = { stale: false, counts: { removed: 0, alreadyGone: 0, kept: 0, failed: 0 }, retry: 0 };
    // Another rollback started since, or this one was stopped: its removals still queued are dropped.
    if ((await this.deps.runs.liveRunId(message.customer, 'rollback')) !== message.runId) return { ...result, stale: true };
    // A rollback whose token FiberConnect refused sends nothing more (its drain check stops it).
    if (await this.deps.runs.targetRefusal(message.customer, message.runId)) return { ...result, stale: true };
    const refs = message.records.map((r) => r.externalRef);
    const known = await this.deps.ledger.outcomesOf(message.runId, message.customer, message.collection, refs);
    // Only an earlier delivery can have left a DELETE without an answer.
    const unanswered = receiveCount > 1 ? await this.deps.ledger.unansweredOf(message.runId, message.customer, message.collection, refs) : new Set<string>();
    const lastDelivery = receiveCount >= this.deps.maxReceiveCount;
    const client = await this.deps.targetClient(message.customer, message.requestTimeoutSeconds * 1000);
    const limiter = this.deps.targetLimiter(message.customer, message.targetRps);
    let refused: string | undefined;
    // Side by side: records of one collection have no order among them, and the shared limiter paces every DELETE.
    await Promise.all(
      message.records.map(async (record) => {
        const earlier = known.get(record.externalRef);
        if (earlier) {
          // An earlier delivery wrote the outcome; the entry's reset may not have followed (a crash between): finish it, count nothing.
          if (earlier.result === 'removed' || earlier.result === 'alreadyGone') await this.markRemoved(message, record);
          return;
        }
        const answer = await this.remove(client, limiter, message, record, deadline, unanswered.has(record.externalRef));
        if (answer.status === 'refused') {
          refused ??= answer.message;
          return;
        }
        if (answer.status === 'transient' && !lastDelivery) {
          result.retry += 1;
          return;
        }
        const outcome = outcomeEntry(message, record, answer);
        // The outcome first: a crash before the entry's reset leaves the outcome, and the next delivery finishes the reset.
        if (await this.deps.ledger.recordOutcome(message.runId, message.customer, message.collection, outcome)) result.counts[outcome.result] += 1;
        if (outcome.result === 'removed' || outcome.result === 'alreadyGone') await this.markRemoved(message, record);
      }),
    );
    await this.deps.runs.addRemovals(message.customer, message.runId, message.collection, result.counts, message.database);
    if (refused !== undefined) {
      const line = refusedTokenMessage(message.customer, refused);
      await this.deps.runs.markTargetRefused(message.customer, message.runId, line);
      throw new TargetRefusedError(line, { customer: message.customer, runId: message.runId, status: Number.parseInt(refused, 10) });
    }
    if (result.retry > 0) {
      throw new TransientDeliveryError(`${result.retry} removal(s) of ${message.collection} hit transient answers; the message comes back`, {
        collection: message.collection,
        records: result.retry,
        receiveCount,
      });
    }
    return result;
  }

  /** The entry back to "not migrated"; a work order takes its update's entry with it (the update is the work order, never removed on its own). */
  private async markRemoved(message: RemovalMessage, record: RemovalRecord): Promise<void> {
    await this.deps.ledger.markRemoved(message.runId, message.customer, message.collection, record.externalRef, record.targetId);
    for (const part of partsOf(message.collection)) await this.deps.ledger.markRemoved(message.runId, message.customer, part, record.externalRef);
  }

  /**
   * One DELETE, tried up to `maxAttempts` times on 429, 5xx, timeouts and dropped connections, with capped backoff; a 429 pauses every instance of the customer.
   * @param sentUnanswered an earlier delivery's DELETE of the record got no answer
   */
  private async remove(
    client: TargetSender,
    limiter: Pick<RatePacer, 'acquire' | 'pause'>,
    message: RemovalMessage,
    record: RemovalRecord,
    deadline: number,
    sentUnanswered: boolean,
  ): Promise<RemovalOutcome> {
    let unanswered = sentUnanswered;
    const policy = { maxAttempts: message.maxAttempts, deadline, ...(this.deps.retryDelayMs !== undefined ? { retryDelayMs: this.deps.retryDelayMs } : {}) };
    const answer = await withRetries<RemovalOutcome>(
      policy,
      async () => {
        await limiter.acquire(1);
        const bounded = boundedCall(removalRequest(message.collection, record.targetId, record.targetVersion), deadline);
        if (!bounded) return undefined;
        try {
          const outcome = classifyRemoval(await client.send(bounded));
          // A 404 after a DELETE of this rollback that got no answer: that DELETE is what removed it.
          return outcome.status === 'alreadyGone' && unanswered ? { status: 'removed' } : outcome;
        } catch (error) {
          if (!(error instanceof TargetError)) throw error;
          if (!unanswered) await this.deps.ledger.noteUnanswered(message.runId, message.customer, message.collection, record.externalRef);
          unanswered = true;
          return { status: 'transient', message: error.message };
        }
      },
      async (transient) => {
        if (transient.pauseEveryone && transient.retryAfterSeconds !== undefined) await limiter.pause(transient.retryAfterSeconds);
      },
    );
    return answer;
  }
}

/** The outcome item of one answered (or, on the last delivery, given up) DELETE. */
function outcomeEntry(message: RemovalMessage, record: RemovalRecord, answer: Exclude<RemovalOutcome, { status: 'refused' }>): RemovalOutcomeEntry {
  const base = { externalRef: record.externalRef, targetId: record.targetId, database: message.database, updatedAt: new Date().toISOString() };
  switch (answer.status) {
    case 'removed':
    case 'alreadyGone':
      return { ...base, result: answer.status };
    case 'kept':
      return { ...base, result: 'kept', reason: answer.reason, message: answer.message };
    case 'transient':
      return { ...base, result: 'failed', message: `retries used up: ${answer.message}` };
    case 'failed':
      return { ...base, result: 'failed', message: answer.message };
  }
}
