import { SKIP_CODES } from '../domain/index.ts';
import type { CollectionDefinition } from '../domain/collections/index.ts';
import type { MappedRequest, MappingContext } from '../domain/mapping/index.ts';
import type { LedgerEntry } from '../ledger/index.ts';
import { deltaRequest } from './delta-update.ts';
import type { DeliveryPlan, QueuedRecord } from './types.ts';

/** What planning a delivery's calls reads, besides its records. */
export interface PlanInputs {
  definition: CollectionDefinition;
  ctx: MappingContext;
  /** The records' ledger entries (the delivery's namespace). */
  known: ReadonlyMap<string, LedgerEntry>;
  /** The entries of the collection the records are part of (a work-order update: its work order's), for their `If-Match`. */
  wholes: ReadonlyMap<string, LedgerEntry>;
  /** Each record's document bytes from its claim check, in the records' order. */
  contents: readonly (Buffer | undefined)[];
}

/** Whether the entry is a `transient_exhausted` of this run (a delta's update too): a dead-lettered delivery's outcome, which a redrive tries again. */
export function isExhaustedInRun(entry: LedgerEntry | undefined, runId: string): boolean {
  return entry?.runId === runId && (entry.status === 'failed' || entry.delta === 'failed') && entry.code === 'transient_exhausted';
}

/** Whether the entry is an outcome of this run that no later delivery may change: anything but `queued` (a delta's queued update too) and a redrivable `transient_exhausted`. */
export function isFinalInRun(entry: LedgerEntry | undefined, runId: string): boolean {
  return entry?.runId === runId && entry.status !== 'queued' && entry.delta !== 'queued' && !isExhaustedInRun(entry, runId);
}

/** Whether a queued record is a delta's update: only a record the ledger still shows migrated is one (a rollback may have removed it since). */
export function isUpdate(record: QueuedRecord, known: ReadonlyMap<string, LedgerEntry>): boolean {
  const entry = known.get(record.externalRef);
  return record.update === true && entry?.status === 'migrated' && entry.targetId !== undefined;
}

/**
 * The first step of a delivery: maps each record and decides its call from
 * its ledger entry. A record that does not map is settled at once (failed or
 * skipped; a delta's update: failed, the target keeps its version); a
 * delta's update whose mapped fields did not change is `unchanged`; every
 * other record becomes a call (a create, or a delta's conditional update).
 *
 * @example
 * ```ts
 * const plan = planCalls(pending, { definition, ctx, known, wholes: new Map(), contents: [] });
 * for (const call of plan.calls) await send(call);
 * ```
 */
export function planCalls(records: readonly QueuedRecord[], inputs: PlanInputs): DeliveryPlan {
  const plan: DeliveryPlan = { calls: [], outcomes: new Map(), updates: new Map() };
  for (const [index, record] of records.entries()) {
    const content = inputs.contents[index];
    const mapped = inputs.definition.map((content ? { ...record.row, content } : record.row) as never, inputs.ctx);
    if (!mapped.ok) {
      if (isUpdate(record, inputs.known)) plan.updates.set(record.externalRef, { status: 'failed', ...mapped.failure, payload: record.row });
      else plan.outcomes.set(record.externalRef, { status: isSkip(mapped.failure.code) ? 'skipped' : 'failed', ...mapped.failure, payload: record.row });
    } else if (isUpdate(record, inputs.known)) planUpdate(record, mapped.body as MappedRequest<unknown>, inputs, plan);
    else plan.calls.push({ record, request: mapped.body as MappedRequest<unknown> });
  }
  return plan;
}

/** Whether a failure code is a skip (the record is left out on purpose), not a failure. */
export function isSkip(code: string): boolean {
  return (SKIP_CODES as readonly string[]).includes(code);
}

/** A delta's update: the changed fields with `If-Match` of the record's latest version by the engine, or `unchanged` when no mapped field changed. */
function planUpdate(record: QueuedRecord, request: MappedRequest<unknown>, inputs: PlanInputs, plan: DeliveryPlan): void {
  const entry = inputs.known.get(record.externalRef)!;
  // A part's If-Match is its whole's latest version by the engine (the work-orders pass of this run may have raised it).
  const version = inputs.definition.partOf ? (inputs.wholes.get(record.externalRef)?.targetVersion ?? entry.targetVersion) : entry.targetVersion;
  const delta = deltaRequest(inputs.definition.collection, request, entry.targetId!, entry.fieldHashes, version);
  // Only updated_at (or another unmapped column) changed: nothing to send.
  if (delta.kind === 'unchanged') {
    plan.updates.set(record.externalRef, { status: 'unchanged', migratedChecksum: record.checksum });
    return;
  }
  plan.calls.push({
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
