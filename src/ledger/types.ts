import type { FieldHashes } from '../domain/mapping/index.ts';
import type { Collection, FailureCode } from '../domain/index.ts';
import type { CONSUMER_COUNTERS, REMOVAL_COUNTERS } from './constants.ts';

/**
 * Where a source record stands in the ledger. `queued` means on its way: sent
 * by a producer, no outcome yet. `removed`: the engine deleted the record from
 * the target (its row is gone from FiberPlan, DELETE_MISSING; or a rollback
 * took back a test migration): not migrated, so the next migration creates it
 * again if its row is there.
 */
export type LedgerStatus = 'queued' | 'migrated' | 'failed' | 'skipped' | 'removed';

/** The ledger's identity of one source record. */
export interface LedgerKey {
  customer: string;
  collection: Collection;
  externalRef: string;
}

/**
 * What a delta run did to a record that was migrated before (its status stays
 * `migrated`: the record is in the target, whatever the delta did):
 * `queued` an update is on its way; `updated` the changed fields were sent;
 * `unchanged` the row changed but no mapped field did, so nothing was sent;
 * `failed` the update failed (code, message) and the target keeps its version;
 * `deletedInSource` the row is gone from FiberPlan; `deleted` and `kept` what
 * DELETE_MISSING then did in the target.
 */
export type DeltaState = 'queued' | 'updated' | 'unchanged' | 'failed' | 'deletedInSource' | 'deleted' | 'kept';

/** How a migrated record came to be in the target. */
export type RecordOrigin = 'created' | 'adopted';

/** One source record's line in the ledger. */
export interface LedgerEntry extends LedgerKey {
  status: LedgerStatus;
  /** The run that wrote the entry last. */
  runId: string;
  /** FiberConnect's id, once migrated. */
  targetId?: string;
  /** Whether the engine created the record (201, first or replayed) or adopted it (409 `duplicate_external_ref`: it was there before). */
  origin?: RecordOrigin;
  /**
   * FiberConnect's `version` of the record after the engine's last write to
   * it (adopted: the version read when it was adopted). A delta's `If-Match`
   * and a rollback's DELETE send it; a verification compares it. A work
   * order's entry also takes the version its `work-order-updates` PATCH left,
   * so it is always the work order's latest version by the engine.
   */
  targetVersion?: number;
  /** What the engine last sent, field by field (hashes; a document's digest, never its bytes). */
  fieldHashes?: FieldHashes;
  /** The source checksum of the row as it was last migrated: a delta sends a row whose checksum differs. */
  migratedChecksum?: string;
  /**
   * Times the record was removed from the target by a rollback. Part of the
   * Idempotency-Key once above 0: the target keeps a key's answer after the
   * record is deleted, so a record created again needs a new key.
   */
  generation?: number;
  /** What the run `runId` did to the migrated record as a delta; absent when that run created it (or failed it before it was ever migrated). */
  delta?: DeltaState;
  /**
   * `<database>#<id zero-padded to 12 digits>`: the key of the `by-source-id`
   * index, which orders a collection's entries by sub-project and numeric id
   * (externalRef sorts ids as text), so a producer page finds the entries of
   * its id range whose row is gone with one bounded Query.
   */
  sourceOrder?: string;
  /** The rollback that removed it from the target (status `removed`). */
  removedBy?: string;
  /** How many outcomes were written for it, over all runs. */
  attempts: number;
  code?: FailureCode;
  message?: string;
  field?: string;
  /** The offending value as text, when the mapping named one (the fix list shows it). */
  value?: string;
  /** SHA-256 of the source row as last read by a producer (queued). */
  sourceChecksum?: string;
  /** The failed record's payload (JSON), when it fits in the item. */
  payload?: string;
  /** S3 key of the failed record's payload, when it did not fit. */
  payloadKey?: string;
  updatedAt: string;
}

/** The outcome a consumer writes for one record. */
export type RecordOutcome =
  | { status: 'migrated'; targetId: string; origin?: RecordOrigin; targetVersion?: number; fieldHashes?: FieldHashes; migratedChecksum?: string }
  | { status: 'failed' | 'skipped'; code: FailureCode; message: string; field?: string; value?: string; payload?: unknown };

/** The outcome of an update a delta run sent for a migrated record: the entry stays `migrated` whatever it is. */
export type UpdateOutcome =
  | { status: 'updated'; targetVersion?: number; fieldHashes: FieldHashes; migratedChecksum: string }
  | { status: 'unchanged'; migratedChecksum: string }
  | { status: 'failed'; code: FailureCode; message: string; field?: string; value?: string; payload?: unknown };

/** Stores payloads too big for a DynamoDB item (S3 in every runtime). */
export interface PayloadStore {
  /** Stores the payload and returns its key. */
  put(key: string, body: string): Promise<string>;
}

declare const keyShape: unique symbol;

/**
 * A key string of one shape of the engine's tables, built only by
 * src/ledger/keys.ts: a plain string is none, so a key written out by hand
 * does not type-check where a key goes.
 */
export type TableKey<Shape extends string> = string & { readonly [keyShape]: Shape };

/** `customer#collection#database` (a dry run's: `dry#<runId>#customer#collection#database`): the partition of a sub-project's ledger entries. */
export type EntryPartition = TableKey<'entry'>;

/** `<a dry run's entry partition>#identity`: its identity claims of a sub-project. */
export type IdentityPartition = TableKey<'identity'>;

/** `rollback#<runId>#customer#collection#database`: a rollback's outcomes of a sub-project. */
export type OutcomePartition = TableKey<'outcome'>;

/** `runId#collection#database`: the by-run index key of the entries (or rollback outcomes) a run wrote last. */
export type RunPartition = TableKey<'run'>;

/** `<database>#<id zero-padded>`: the by-source-id index's sort key of an entry. */
export type SourceOrder = TableKey<'source-order'>;

/** The primary key of a ledger table item: its sort key is an externalRef (or a note's key beside one). */
export interface LedgerItemKey {
  pk: EntryPartition | IdentityPartition | OutcomePartition;
  externalRef: string;
}

/** What an entry partition is made of (a dry run's identity partition too). */
export interface EntryPartitionParts {
  customer: string;
  collection: Collection;
  database: string;
  /** Set in a dry run's namespace. */
  dryRunId?: string;
}

/** The customer's name: the run table's partition of its runs, latest-run pointers and restore debt. */
export type CustomerPartition = TableKey<'customer'>;

/** `customer#runId...`: a run table partition of one run's working items (producer figures, counters, a verification's state). */
export type RunWorkPartition = TableKey<'run-work'>;

/** The primary key of a run table item. */
export interface RunTableKey {
  pk: CustomerPartition | RunWorkPartition;
  sk: string;
}

/** A run as the run table holds it. */
export interface RunRecord {
  customer: string;
  runId: string;
  startedAt: string;
  finishedAt?: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  options: Record<string, unknown>;
  /** Whether the target's workflows and e-mail setting were put back. */
  target?: { workflowsRestored: boolean; emailRestored: boolean };
  error?: string;
  /** The customer's latest run when this one started. */
  previousRunId?: string;
  /** A dry run: it changed nothing, so it never becomes the customer's latest run. */
  dryRun?: boolean;
  /** Workflows this run switched off (with those earlier runs left off): what it must switch back on. */
  savedWorkflowIds?: string[];
  /** The e-mail setting to put back when this run switched e-mail off. */
  savedEmailEnabled?: boolean;
  /**
   * A run that is no migration. A verification: recorded, never any
   * customer's latest run. A rollback: the customer's latest rollback, never
   * its latest migration.
   */
  kind?: 'verify' | 'rollback' | 'redrive';
  /** A redrive: the run whose dead letters it sends again (their messages carry that run's id). */
  redriveOf?: string;
  /**
   * The sub-projects (legacy databases) the run works on, as configure listed
   * them: the by-run index holds a run's entries under one key per
   * sub-project, and its readers read these keys in turn, never a scan.
   */
  databases?: string[];
  /** Set when FiberConnect refused the customer's token during the run: the one line of the refusal. The run stops at its next drain check. */
  targetRefused?: string;
}

/** The fields of a run that change after it started: its end, or what it saved of the target's settings. */
export type RunUpdate = Partial<Pick<RunRecord, 'status' | 'finishedAt' | 'target' | 'error' | 'savedWorkflowIds' | 'savedEmailEnabled'>>;

/**
 * What runs switched off on a customer's target and no restore has put back
 * yet: one per customer, carried from run to run until a restore succeeded,
 * so a chain of killed and failed runs still ends with the original settings.
 */
export interface RestoreDebt {
  /** Workflows that were ACTIVE before some run switched them off. */
  workflowIds: string[];
  /** The e-mail setting before the first run that switched it off; absent when e-mail is not switched off. */
  emailEnabled?: boolean;
}

/** Which of a customer's latest-run pointers: its latest real run, dry run or rollback. */
export type RunPointer = 'run' | 'dry-run' | 'rollback';

/** What a producer read from one id range of one sub-project: written whole, so a retried producer overwrites, never adds. */
export interface RangeCounts {
  /** Source rows of the range in this run's scope. */
  source: number;
  /** Rows the ledger already showed as migrated by an earlier run. */
  alreadyMigrated: number;
  /** Rows sent to the queue. */
  queued: number;
  /**
   * Every row the page read, in the run's scope or not (RETRY_FAILED leaves
   * some out of `source`): what DELETE_MISSING's guard weighs what is gone
   * against. Absent in a rollback's figures (it reads the ledger, not rows).
   */
  rows?: number;
}

/** Live progress of one collection: exact source figures from the producers, ADD counters from the consumers. */
export interface CollectionProgress {
  source: number;
  alreadyMigrated: number;
  queued: number;
  migrated: number;
  /** Migrated records whose changed fields a delta sent. */
  updated: number;
  /** Migrated records whose row changed but no mapped field did (nothing sent): already migrated, found by a consumer. */
  unchanged: number;
  failed: number;
  skipped: number;
}

/** Live progress of one collection in a rollback: entries found and queued (producers), outcomes (removal consumers). */
export interface RemovalProgress {
  /** Migrated entries the rollback found. */
  source: number;
  /** Of them, sent for removal (the rest were adopted: kept at once). */
  queued: number;
  removed: number;
  alreadyGone: number;
  kept: number;
  failed: number;
}

/** A migration's consumer counters of one collection. */
export type ConsumerCounts = Pick<CollectionProgress, (typeof CONSUMER_COUNTERS)[number]>;

/** A rollback's removal counters of one collection. */
export type RemovalCounts = Pick<RemovalProgress, (typeof REMOVAL_COUNTERS)[number]>;

/** What one UpdateItem does to an item: attributes to SET, numbers to ADD, attributes to REMOVE. */
export interface UpdateClauses {
  set?: Record<string, unknown>;
  add?: Record<string, number>;
  remove?: readonly string[];
}

/** An UpdateItem's condition, with the placeholders it names beyond those of the update's own attributes. */
export interface UpdateCondition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** The expression fields of an UpdateCommand's input. */
export interface UpdateExpressionInput {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** How the real ledger is set up: where big payloads go, and how long a dry run's entries are kept. */
export interface LedgerOptions {
  /** Stores failed payloads too big for the entry (S3); without it, they are cut to fit. */
  payloads?: PayloadStore;
  /** Days a dry run's entries are kept: each of its writes sets `expiresAt` (DynamoDB TTL) this far ahead. Absent: kept. */
  dryRunRetentionDays?: number;
}
