import type { Collection, FailureCode } from '../domain/types.ts';

/** Where a source record stands in the ledger. `queued` means on its way: sent by a producer, no outcome yet. */
export type LedgerStatus = 'queued' | 'migrated' | 'failed' | 'skipped';

/** The ledger's identity of one source record. */
export interface LedgerKey {
  customer: string;
  collection: Collection;
  externalRef: string;
}

/** One source record's line in the ledger. */
export interface LedgerEntry extends LedgerKey {
  status: LedgerStatus;
  /** The run that wrote the entry last. */
  runId: string;
  /** FiberConnect's id, once migrated. */
  targetId?: string;
  /** How many outcomes were written for it, over all runs. */
  attempts: number;
  code?: FailureCode;
  message?: string;
  field?: string;
  /** The offending value as text, when the mapping named one (the fix list shows it). */
  value?: string;
  /** SHA-256 of the source row as read: tells a re-run whether the row changed. */
  sourceChecksum?: string;
  /** The failed record's payload (JSON), when it fits in the item. */
  payload?: string;
  /** S3 key of the failed record's payload, when it did not fit. */
  payloadKey?: string;
  updatedAt: string;
}

/** The outcome a consumer writes for one record. */
export type RecordOutcome =
  | { status: 'migrated'; targetId: string }
  | { status: 'failed' | 'skipped'; code: FailureCode; message: string; field?: string; value?: string; payload?: unknown };

/** Stores payloads too big for a DynamoDB item (S3 in every runtime). */
export interface PayloadStore {
  /** Stores the payload and returns its key. */
  put(key: string, body: string): Promise<string>;
}
