import type { SendMessageBatchCommand, SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import type { FieldPacket, RowDataPacket } from 'mysql2/promise';
import type { FieldHashes, MappedRequest } from '../domain/mapping/index.ts';
import type { Collection } from '../domain/index.ts';
import type { Ledger, RecordOutcome, RunStore, UpdateOutcome } from '../ledger/index.ts';
import type { LegacyRegistry } from '../source/mysql/index.ts';
import type { FiberConnectClient } from '../target/client/index.ts';
import type { SharedRateLimiter, TargetRequest } from '../target/index.ts';
import type { ObjectStore } from './object-store.ts';
import type { RunOptionValues } from '../profile/index.ts';
import type { ProgressWaitState } from '../wait/index.ts';

/**
 * The effective options of one run: the customer's profile, overridden by
 * what the run was started with. Configure computes them once; every step
 * of the workflow receives them, so a run never changes its mind midway.
 * Each option is defined in run-options.ts (docs/run-options.md).
 */
export interface RunSettings extends RunOptionValues {
  /** SQS messages per consumer invocation: the profile's, which no run changes. */
  consumerBatchSize: number;
}

/** One id range of a table, `afterId < id <= lastId`, read by one producer. */
export interface IdRange {
  id: string;
  afterId: number;
  lastId: number;
}

/** Where a producer stands in its range. */
export interface PageState {
  done: boolean;
  /** Id of the last row read; the next page starts after it. */
  cursor?: number;
  /** Records this range has sent to the queue so far: none means there is nothing to wait for. */
  queued?: number;
  /**
   * Set while the producer holds back because its collection's queue is deep
   * (src/pipeline/back-pressure.ts): the state machine waits
   * `hold.waitSeconds`, then calls it again from the same cursor.
   */
  hold?: ProgressWaitState;
}

/** A document's bytes, parked in S3 while its record travels through the queue (claim check). */
export interface DocumentClaim {
  key: string;
  sizeBytes: number;
  sha256: string;
}

/** One source record on its way to the target: everything the consumer needs, so nothing downstream reads the legacy database. */
export interface QueuedRecord {
  externalRef: string;
  /** SHA-256 of the row as read. */
  checksum: string;
  row: Record<string, unknown>;
  claim?: DocumentClaim;
  /** The ledger's generation of the record (removals by a rollback), when above 0: it makes the Idempotency-Key new. */
  generation?: number;
  /** A delta's update: the record is migrated and its row changed; the consumer patches it from what the ledger holds (target id, version, field hashes). */
  update?: true;
}

/** The body of one SQS message: several records of one collection, sub-project and message group. */
export interface QueueMessage {
  v: 1;
  customer: string;
  runId: string;
  collection: Collection;
  database: string;
  /** The run options the mapping reads. */
  migrateCompletedProjects: boolean;
  maxAttempts: number;
  targetRps: number;
  requestTimeoutSeconds: number;
  /** A dry run's message: map and validate, never call the target, write to the dry namespace. */
  dryRun?: boolean;
  /** The sub-project's `settings` rows named `status_map.*`. */
  settings: Record<string, string>;
  records: QueuedRecord[];
}

/**
 * A collection whose records a rollback removes: every one but work-order
 * updates, which are their work orders and never removed on their own
 * (the removal message's `collection` in queue-message.schema.json;
 * src/rollback/constants.ts ROLLBACK_ORDER puts them in their order).
 */
export type RemovableCollection = Exclude<Collection, 'work-order-updates'>;

/** One record on its way to removal: what the DELETE needs, from the ledger. */
export interface RemovalRecord {
  externalRef: string;
  targetId: string;
  /** The target's version after the engine's last write: the DELETE's If-Match (absent: unconditional). */
  targetVersion?: number;
}

/**
 * The body of one removal message on the collection's queue; `kind` tells it
 * from a migration's message. Defined here beside {@link QueueMessage}: one
 * schema (queue-message.schema.json) checks both kinds of message a queue holds.
 */
export interface RemovalMessage {
  v: 1;
  kind: 'removal';
  customer: string;
  /** The rollback's run id. */
  runId: string;
  collection: RemovableCollection;
  database: string;
  maxAttempts: number;
  targetRps: number;
  requestTimeoutSeconds: number;
  records: RemovalRecord[];
}

/*
 * What the producer and consumer use of their collaborators: narrow views of
 * the engine's classes, so that a unit test hands in an in-memory fake
 * instead of stubbing SDK internals. The real classes fit them as they are.
 */

/** The ledger as the pipeline uses it: bulk reads, queued marks, outcomes, and a dry run's own namespace. */
export interface PipelineLedger
  extends Pick<
    Ledger,
    'getMany' | 'markQueued' | 'recordOutcome' | 'recordUpdate' | 'claimIdentity' | 'noteTargetVersion' | 'markDeletedInSource' | 'migratedInIdRange'
  > {
  forDryRun(runId: string): PipelineLedger;
}

/** The run table as the pipeline uses it: the live run (real or dry), range figures, live counters, a refused token. */
export type PipelineRuns = Pick<RunStore, 'liveRunId' | 'recordRange' | 'addOutcomes' | 'markTargetRefused' | 'targetRefusal'>;

/** The bucket as the pipeline uses it: document claim checks in and out. */
export type ClaimStore = Pick<ObjectStore, 'put' | 'get'>;

/** The FiberConnect client as the consumer uses it: one request, one answer. */
export type TargetSender = Pick<FiberConnectClient, 'send'>;

/** The customer's shared rate limit as the pipeline uses it. */
export type RatePacer = Pick<SharedRateLimiter, 'acquire' | 'waitFor' | 'pause'>;

/** The legacy registry as the producer uses it: a sub-project's settings rows. */
export type SettingsReader = Pick<LegacyRegistry, 'readSettings'>;

/** A sub-project database as the producer uses it: one query with positional values. */
export interface SourceQueries {
  query<T extends RowDataPacket[]>(sql: string, values?: unknown[]): Promise<[T, FieldPacket[]]>;
}

/** SQS as the producer uses it: SendMessageBatch. */
export interface BatchSender {
  send(command: SendMessageBatchCommand): Promise<SendMessageBatchCommandOutput>;
}

/** A delta's update of one migrated record, ready to send. */
export interface PendingUpdate {
  targetId: string;
  /** What the engine last sent (the record's ledger entry). */
  previous?: FieldHashes;
  /** The changed fields (dotted paths). */
  fields: string[];
  send: TargetRequest;
  /** The record's version after the engine's last write; absent (adopted before versions were read): read before the write. */
  version?: number;
}

/** One record's call, planned from its row and ledger entry: a create (or a document's PUT), or a delta's update. */
export interface PlannedCall {
  record: QueuedRecord;
  request: MappedRequest<unknown>;
  update?: PendingUpdate;
}

/**
 * One delivery's work: the calls to make, and what the ledger will record,
 * keyed by externalRef. Records settled without a call (a mapping failure, an
 * unchanged delta) start with their outcome; each call's answer adds its own.
 */
export interface DeliveryPlan {
  calls: PlannedCall[];
  outcomes: Map<string, RecordOutcome>;
  updates: Map<string, UpdateOutcome>;
}

/** What the calls of one delivery left to do: records to try again, and FiberConnect's refusal of the token. */
export interface SendTally {
  transient: number;
  refused?: string;
}
