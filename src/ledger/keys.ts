import type { Collection } from '../domain/index.ts';
import {
  DRY_RUN_PREFIX,
  IDENTITY_SUFFIX,
  LATEST_DRY_KEY,
  LATEST_KEY,
  LATEST_ROLLBACK_KEY,
  RESTORE_DEBT_KEY,
  ROLLBACK_PREFIX,
  SOURCE_ID_DIGITS,
  UNANSWERED_SUFFIX,
} from './constants.ts';
import type {
  CustomerPartition,
  EntryPartition,
  EntryPartitionParts,
  IdentityPartition,
  LedgerItemKey,
  LedgerKey,
  OutcomePartition,
  RunPartition,
  RunPointer,
  RunTableKey,
  RunWorkPartition,
  SourceOrder,
} from './types.ts';

/*
 * The key scheme of the engine's two DynamoDB tables, the only place that
 * spells it. Every builder returns a branded string (types.ts), so a key
 * written out by hand does not type-check where one of these goes.
 *
 * Ledger table (pk, sort key externalRef):
 *   customer#collection#database                  a sub-project's entries
 *   dry#<runId>#customer#collection#database      a dry run's entries
 *   dry#<runId>#customer#collection#database#identity   its identity claims
 *   rollback#<runId>#customer#collection#database  a rollback's outcomes (and `<externalRef>#unanswered` notes)
 *   index by-run:       runCollection = runId#collection#database
 *   index by-source-id: pk, sourceOrder = database#<id zero-padded>
 *
 * Run table (pk, sk):
 *   customer            run#<runId>, latest, latest-dry, latest-rollback, restore
 *   customer#runId      range#collection#<range>, progress#collection
 *   customer#runId#verify, customer#runId#verify#collection#list, customer#runId#seen#collection   a verification's state
 */

/** The sub-project (legacy database) a record comes from: the first part of its externalRef (`<database>:<table>:<id>`). */
export function databaseOf(externalRef: string): string {
  return externalRef.split(':', 1)[0]!;
}

/**
 * Partition key of one sub-project's entries of a customer's collection
 * (`customer#collection#database`), sorted by externalRef: spread by
 * sub-project so no one key takes a whole collection's writes. A dry run's
 * entries live in a partition of their own (`dry#<runId>#...`), so the real
 * entries are never written.
 */
export function ledgerPartition(customer: string, collection: Collection, database: string, dryRunId?: string): EntryPartition {
  const partition = `${customer}#${collection}#${database}`;
  return (dryRunId ? `${DRY_RUN_PREFIX}${dryRunId}#${partition}` : partition) as EntryPartition;
}

/** The partition of a record's entry: its sub-project is read off its externalRef. */
export function entryPartition(key: LedgerKey, dryRunId?: string): EntryPartition {
  return ledgerPartition(key.customer, key.collection, databaseOf(key.externalRef), dryRunId);
}

/** The primary key of a record's entry (in a dry run's namespace with `dryRunId`). */
export function entryKey(key: LedgerKey, dryRunId?: string): LedgerItemKey {
  return { pk: entryPartition(key, dryRunId), externalRef: key.externalRef };
}

/**
 * What an entry partition (or a dry run's identity partition) is made of;
 * undefined for any other key of the ledger table (a rollback's outcomes).
 */
export function parseEntryPartition(pk: string): EntryPartitionParts | undefined {
  if (pk.startsWith(ROLLBACK_PREFIX)) return undefined;
  const parts = (pk.endsWith(IDENTITY_SUFFIX) ? pk.slice(0, -IDENTITY_SUFFIX.length) : pk).split('#');
  const dryRunId = pk.startsWith(DRY_RUN_PREFIX) ? parts.splice(0, 2)[1] : undefined;
  if (parts.length !== 3 || parts.some((part) => part === '')) return undefined;
  const [customer, collection, database] = parts as [string, Collection, string];
  return { customer, collection, database, ...(dryRunId !== undefined ? { dryRunId } : {}) };
}

/**
 * Partition key of a dry run's identity claims of one collection and
 * sub-project (e.g. addresses, which the target holds unique per project):
 * never in the by-run index, so never in a report.
 */
export function identityPartition(key: LedgerKey, dryRunId: string): IdentityPartition {
  return `${entryPartition(key, dryRunId)}${IDENTITY_SUFFIX}` as IdentityPartition;
}

/** Partition of a rollback's outcomes of a record's collection and sub-project: beside the ledger's entries, never mixed with them. */
export function outcomePartition(runId: string, customer: string, collection: Collection, externalRef: string): OutcomePartition {
  return `${ROLLBACK_PREFIX}${runId}#${ledgerPartition(customer, collection, databaseOf(externalRef))}` as OutcomePartition;
}

/**
 * Sort key of the note that a DELETE of a record went out in a rollback
 * without an answer: beside the record's outcome item, and never in the
 * by-run index (it has no `runCollection`), so no report reads it.
 */
export function unansweredSortKey(externalRef: string): string {
  return `${externalRef}${UNANSWERED_SUFFIX}`;
}

/** The externalRef of an {@link unansweredSortKey}; undefined for any other sort key. */
export function parseUnansweredSortKey(sortKey: string): string | undefined {
  return sortKey.endsWith(UNANSWERED_SUFFIX) ? sortKey.slice(0, -UNANSWERED_SUFFIX.length) : undefined;
}

/** Partition key of the run index: the entries a run wrote last, per collection and sub-project. */
export function runPartition(runId: string, collection: Collection, database: string): RunPartition {
  return `${runId}#${collection}#${database}` as RunPartition;
}

/** The by-run key of a record's entry: its sub-project is read off its externalRef. */
export function entryRunPartition(runId: string, key: Pick<LedgerKey, 'collection' | 'externalRef'>): RunPartition {
  return runPartition(runId, key.collection, databaseOf(key.externalRef));
}

/**
 * A run's sub-projects in the order of their entries' externalRefs
 * (`<database>:` as text), so reading their by-run keys one after the other
 * yields the run's entries in externalRef order, as one key would.
 */
export function inExternalRefOrder(databases: readonly string[]): string[] {
  return [...new Set(databases)].sort((a, b) => (`${a}:` < `${b}:` ? -1 : `${a}:` > `${b}:` ? 1 : 0));
}

/** The `by-source-id` sort key of a record: `<database>#<id zero-padded>`, read off its externalRef (`<database>:<table>:<id>`). */
export function sourceOrderOf(externalRef: string): SourceOrder {
  const [database = '', , id = ''] = externalRef.split(':');
  return `${database}#${id.padStart(SOURCE_ID_DIGITS, '0')}` as SourceOrder;
}

/** The `by-source-id` sort key of an id of a sub-project (ids below 0 order as 0). */
export function sourceOrderAt(database: string, id: number): SourceOrder {
  return `${database}#${String(Math.max(0, Math.trunc(id))).padStart(SOURCE_ID_DIGITS, '0')}` as SourceOrder;
}

/** The partition of a customer's own items in the run table: its runs, latest-run pointers and restore debt. */
export function customerPartition(customer: string): CustomerPartition {
  return customer as CustomerPartition;
}

/** The key of a run's item. */
export function runKey(customer: string, runId: string): RunTableKey {
  return { pk: customerPartition(customer), sk: `run#${runId}` };
}

const POINTER_SORT_KEYS: Readonly<Record<RunPointer, string>> = { run: LATEST_KEY, 'dry-run': LATEST_DRY_KEY, rollback: LATEST_ROLLBACK_KEY };

/** The key of a customer's pointer to its latest real run, dry run or rollback. */
export function pointerKey(customer: string, pointer: RunPointer): RunTableKey {
  return { pk: customerPartition(customer), sk: POINTER_SORT_KEYS[pointer] };
}

/** The key of a customer's restore debt (beside its runs and pointers). */
export function restoreDebtKey(customer: string): RunTableKey {
  return { pk: customerPartition(customer), sk: RESTORE_DEBT_KEY };
}

/** The partition of a run's producer range figures and progress counters (`customer#runId`). */
export function progressPartition(customer: string, runId: string): RunWorkPartition {
  return `${customer}#${runId}` as RunWorkPartition;
}

/** The key of what a producer read from one range of a collection. */
export function rangeKey(customer: string, runId: string, collection: Collection, range: string): RunTableKey {
  return { pk: progressPartition(customer, runId), sk: `range#${collection}#${range}` };
}

/** The key of a collection's progress counters. */
export function progressKey(customer: string, runId: string, collection: Collection): RunTableKey {
  return { pk: progressPartition(customer, runId), sk: `progress#${collection}` };
}

/** The partition of a verification's page figures. */
export function verifyFiguresPartition(customer: string, runId: string): RunWorkPartition {
  return `${customer}#${runId}#verify` as RunWorkPartition;
}

/** The key of one page's figures of a verification step (`step#collection#database#page`). */
export function verifyFiguresKey(
  customer: string,
  runId: string,
  step: string,
  scope: { collection: Collection; database: string },
  pageKey: string,
): RunTableKey {
  return { pk: verifyFiguresPartition(customer, runId), sk: `${step}#${scope.collection}#${scope.database}#${pageKey}` };
}

/** The partition of one list of a collection a verification found (sort key: the externalRef). */
export function verifyListPartition(customer: string, runId: string, collection: Collection, list: string): RunWorkPartition {
  return `${customer}#${runId}#verify#${collection}#${list}` as RunWorkPartition;
}

/** The partition of the ledger entries of a collection a verification saw in the target's listing (sort key: the externalRef). */
export function verifySeenPartition(customer: string, runId: string, collection: Collection): RunWorkPartition {
  return `${customer}#${runId}#seen#${collection}` as RunWorkPartition;
}
