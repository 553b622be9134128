import type { Collection } from '../domain/types.ts';

/**
 * The effective options of one run: the customer's profile, overridden by
 * what the run was started with. Configure computes them once; every step
 * of the workflow receives them, so a run never changes its mind midway.
 */
export interface RunSettings {
  migrateCompletedProjects: boolean;
  migrateOnlyPlanboard: boolean;
  /** Limit the run to records whose last outcome was a failure. */
  retryFailed: boolean;
  /** Requests per second to FiberConnect, for the whole customer. */
  targetRps: number;
  /** Keyset page reads per second on the legacy database, for the whole customer. */
  sourceRps: number;
  sourceBatchSize: number;
  recordsPerMessage: number;
  consumerBatchSize: number;
  /** Id ranges of one table read at the same time. */
  producers: number;
  /** SQS FIFO message groups per collection and sub-project: bounds consumer concurrency. */
  messageGroups: number;
  /** Concurrent consumer instances (the event source's maximum concurrency). */
  consumers: number;
  subprojectConcurrency: number;
  /** The planboard jobs wait fails when the pending count has not fallen for this long. */
  planboardSecondsToWait: number;
  /** Shortest pause between two looks at the pending jobs (looks grow further apart as the wait goes on). */
  planboardPollSeconds: number;
  /** A drain wait fails when the queue has made no progress for this long, whatever the collection's size. */
  drainTimeoutSeconds: number;
  /** Shortest pause between two looks at a queue (looks grow further apart as the wait goes on). */
  drainPollSeconds: number;
  /** Tries per target call on 429, 5xx and timeouts within one delivery. */
  maxAttempts: number;
  requestTimeoutSeconds: number;
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
  /** The sub-project's `settings` rows named `status_map.*`. */
  settings: Record<string, string>;
  records: QueuedRecord[];
}
