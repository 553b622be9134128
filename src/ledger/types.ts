import type { FieldHashes } from '../domain/mapping/field-hashes.ts';
import type { Collection, FailureCode } from '../domain/types.ts';

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
