import { fieldHashesOf, type MappedRequest } from '../domain/mapping/index.ts';
import type { LedgerEntry, UpdateOutcome } from '../ledger/index.ts';
import type { DeltaAnswer } from './delta-update.ts';
import { isExhaustedInRun, isSkip } from './delivery-plan.ts';
import type { CallOutcome } from './target-answer.ts';
import type { DeliveryPlan, PlannedCall, QueuedRecord, SendTally } from './types.ts';

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

/** A delivery that did nothing (yet). */
export function emptyResult(): DeliveryResult {
  return { stale: false, migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, retry: 0 };
}

/**
 * Puts one call's answer into the plan, for the ledger. A transient answer
 * is counted (on the last delivery it is recorded `transient_exhausted`), a
 * refusal of the token noted; both return false: the call is not done, and
 * an ordered message sends nothing after it.
 */
export function settle(call: PlannedCall, answer: CallOutcome | DeltaAnswer, plan: DeliveryPlan, lastDelivery: boolean, tally: SendTally): boolean {
  const { record, request, update } = call;
  if (answer.status === 'refused') {
    tally.refused ??= answer.message;
    return false;
  }
  if (answer.status === 'transient') {
    tally.transient += 1;
    const exhausted = { status: 'failed', code: 'transient_exhausted', message: answer.message, payload: record.row } as const;
    if (lastDelivery) (update ? plan.updates : plan.outcomes).set(record.externalRef, exhausted);
    return false;
  }
  if (update) plan.updates.set(record.externalRef, updateOutcomeOf(answer as Exclude<DeltaAnswer, { status: 'transient' | 'refused' }>, request, record));
  else if (answer.status === 'migrated')
    plan.outcomes.set(record.externalRef, { ...answer, fieldHashes: fieldHashesOf(request), migratedChecksum: record.checksum });
  else plan.outcomes.set(record.externalRef, { ...(answer as Exclude<CallOutcome, { status: 'migrated' | 'transient' | 'refused' }>), payload: record.row });
  return true;
}

/**
 * Counts what the ledger took of the plan (`written`: each outcome's and each
 * update's write, in the plan's order; a write refused as stale counts
 * nothing). `replaced`: redriven records whose `transient_exhausted` is
 * already in the run's counters, which their new outcome replaces, so each
 * record counts once.
 */
export function countWritten(
  plan: DeliveryPlan,
  written: { outcomes: readonly boolean[]; updates: readonly boolean[] },
  known: ReadonlyMap<string, LedgerEntry>,
  runId: string,
): { result: DeliveryResult; replaced: number } {
  const result = emptyResult();
  let replaced = 0;
  [...plan.outcomes].forEach(([externalRef, outcome], index) => {
    if (!written.outcomes[index]) return;
    result[outcome.status] += 1;
    if (isExhaustedInRun(known.get(externalRef), runId)) replaced += 1;
  });
  [...plan.updates].forEach(([externalRef, outcome], index) => {
    if (!written.updates[index]) return;
    if (outcome.status !== 'failed') result[outcome.status] += 1;
    else result[isSkip(outcome.code) ? 'skipped' : 'failed'] += 1;
    if (isExhaustedInRun(known.get(externalRef), runId)) replaced += 1;
  });
  return { result, replaced };
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
