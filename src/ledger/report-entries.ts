import { SKIP_CODES } from '../domain/index.ts';
import { NO_OUTCOME_MESSAGE, type DeletedInSourceRecord, type ReportFailure } from './report.ts';
import type { LedgerEntry } from './types.ts';

/** What a run's ledger entry counts as in its report. */
export type EntryKind = 'migrated' | 'updated' | 'unchanged' | 'deletedInSource' | 'failed' | 'skipped' | 'noOutcome';

/**
 * Sorts a run's entry: created, a delta's update (sent, or nothing to send),
 * a record gone from the source (whatever DELETE_MISSING did), a failure or
 * skip (a delta's too, while the entry stays migrated), or no outcome yet.
 */
export function kindOf(entry: LedgerEntry): EntryKind {
  if (entry.delta === 'deletedInSource' || entry.delta === 'deleted' || entry.delta === 'kept') return 'deletedInSource';
  if (entry.status === 'queued' || entry.delta === 'queued') return 'noOutcome';
  if (entry.status === 'migrated' && (entry.delta === 'updated' || entry.delta === 'unchanged')) return entry.delta;
  if (entry.status === 'migrated' && entry.delta !== 'failed') return 'migrated';
  return entry.code !== undefined && (SKIP_CODES as readonly string[]).includes(entry.code) ? 'skipped' : 'failed';
}

/** A record gone from the source as report.json lists it. */
export function deletedInSourceOf(entry: LedgerEntry): DeletedInSourceRecord {
  return {
    externalRef: entry.externalRef,
    targetId: entry.targetId ?? '',
    deleted: entry.delta === 'deleted',
    ...(entry.delta === 'kept' ? { reason: entry.value ?? entry.code ?? 'failed' } : {}),
  };
}

/** A failed, skipped or unanswered entry as the report lists it. */
export function failureOf(entry: LedgerEntry): ReportFailure {
  if (entry.status === 'queued' || entry.delta === 'queued')
    return { externalRef: entry.externalRef, code: 'transient_exhausted', message: NO_OUTCOME_MESSAGE };
  return {
    externalRef: entry.externalRef,
    code: entry.code ?? 'rejected_by_target',
    message: entry.message ?? '',
    ...(entry.field ? { field: entry.field } : {}),
    ...(entry.value ? { value: entry.value } : {}),
  };
}
