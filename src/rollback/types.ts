import type { RemovableCollection } from '../pipeline/index.ts';
import type { KeptReason } from '../target/index.ts';

/** What a rollback did with one record; `failed` is a DELETE the target refused otherwise, or retries used up. */
export type RemovalResult = 'removed' | 'alreadyGone' | 'kept' | 'failed';

/** One record's outcome in a rollback, as its outcome item holds it. */
export interface RemovalOutcomeEntry {
  externalRef: string;
  targetId: string;
  result: RemovalResult;
  /** Why a kept record stays in the target. */
  reason?: KeptReason;
  /** The target's answer (kept, failed). */
  message?: string;
  database: string;
  updatedAt: string;
}

/** Where a rollback producer stands in one collection of one sub-project. */
export interface RemovalPage {
  done: boolean;
  /** The last externalRef read: the next page starts after it. */
  after?: string;
  /** Records sent for removal so far: none means there is nothing to wait for. */
  queued?: number;
}

/** rollback.json (docs/rollback.md). */
export interface RollbackReport {
  customer: string;
  runId: string;
  kind: 'rollback';
  startedAt: string;
  finishedAt: string;
  status: 'SUCCEEDED' | 'FAILED';
  /** The migration run the rollback followed. */
  previousRunId?: string;
  error?: string;
  /** Per collection: counts, the kept records counted by reason, and every kept record. */
  entities: Record<RemovableCollection, { removed: number; alreadyGone: number; failed: number; keptByReason: KeptByReason; kept: KeptRecord[] }>;
  /** Records the target refused to delete for another reason, or that ran out of retries: still migrated, a next rollback tries them again. */
  failures: RemovalFailure[];
  target: { workflowsRestored: boolean; emailRestored: boolean };
}

/** How many records a rollback kept in FiberConnect, per reason (reasons it kept none for are left out). */
export type KeptByReason = Partial<Record<KeptReason, number>>;

/**
 * rollback.json without its lists (every kept record, every failure): what
 * the CLI prints and returns, read in bounded memory however many records
 * the rollback touched (tooling/cli/report-file.ts).
 */
export interface RollbackFigures extends Omit<RollbackReport, 'entities' | 'failures'> {
  entities: Record<RemovableCollection, Omit<RollbackReport['entities'][RemovableCollection], 'kept'>>;
}

/** A record the rollback left in FiberConnect, and why. */
export interface KeptRecord {
  externalRef: string;
  targetId: string;
  reason: KeptReason;
}

/** A record the rollback could not remove. */
export interface RemovalFailure {
  collection: RemovableCollection;
  externalRef: string;
  targetId: string;
  message: string;
}

/**
 * rollback.json's figures with bounded samples instead of its lists: what
 * rollback.html shows, held in memory however many records the rollback
 * touched (the lists are streamed into rollback.json).
 */
export interface RollbackSummary extends Omit<RollbackReport, 'entities' | 'failures'> {
  entities: Record<
    RemovableCollection,
    { removed: number; alreadyGone: number; failed: number; kept: number; keptByReason: KeptByReason; keptSample: KeptRecord[] }
  >;
  failures: number;
  failureSample: RemovalFailure[];
}
