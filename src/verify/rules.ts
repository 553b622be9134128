import type { LedgerEntry } from '../ledger/index.ts';
import type { BalanceFigure } from './types.ts';

/** A FiberConnect record as a list page gives it (the fields a verification reads). */
export interface ListedRecord {
  id: string;
  externalRef?: string;
  version?: number;
}

/** What a listed record is to the ledger. */
export type ListedVerdict =
  /** The ledger shows it migrated under this id, at the version of the engine's last write. */
  | 'same'
  /** The ledger shows it migrated under this id, but a person changed it since the engine's last write. */
  | 'changedInTarget'
  /** No migrated entry carries its externalRef with this id: FiberConnect holds a record of the customer the ledger does not know. */
  | 'stray';

/** Whether an externalRef names one of `databases` (`<database>:<table>:<id>`). */
export function isCustomerRef(externalRef: string | undefined, databases: ReadonlySet<string>): externalRef is string {
  if (!externalRef) return false;
  const colon = externalRef.indexOf(':');
  return colon > 0 && databases.has(externalRef.slice(0, colon));
}

/** The database an externalRef names. */
export function databaseOf(externalRef: string): string {
  return externalRef.slice(0, externalRef.indexOf(':'));
}

/**
 * Compares a listed record with its ledger entry. A version the ledger does
 * not know (an entry from before versions were kept) is no change: nothing
 * to compare it with.
 */
export function judgeListed(record: ListedRecord, entry: LedgerEntry | undefined): ListedVerdict {
  if (entry?.status !== 'migrated' || entry.targetId !== record.id) return 'stray';
  if (entry.targetVersion !== undefined && record.version !== entry.targetVersion) return 'changedInTarget';
  return 'same';
}

/**
 * Where a source row stands in the ledger's balance: its entry's outcome, or
 * `notYetRun` (no entry, still queued, or removed by a rollback).
 */
export function balanceOf(entry: LedgerEntry | undefined): Exclude<BalanceFigure, 'source'> {
  switch (entry?.status) {
    case 'migrated':
    case 'skipped':
    case 'failed':
      return entry.status;
    default:
      return 'notYetRun';
  }
}

/**
 * Whether a migrated row changed in FiberPlan since: its checksum now against
 * the one it was migrated with (the one it was last queued with for entries
 * from before that was kept). No checksum known: no change can be told.
 */
export function changedInSource(entry: LedgerEntry | undefined, checksumNow: string): boolean {
  if (entry?.status !== 'migrated') return false;
  const then = entry.migratedChecksum ?? entry.sourceChecksum;
  return then !== undefined && then !== checksumNow;
}
