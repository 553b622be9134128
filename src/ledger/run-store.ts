import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../domain/index.ts';
import { RestoreDebts } from './restore-debts.ts';
import { RunPointers } from './run-pointers.ts';
import { RunProgress } from './run-progress.ts';
import { RunRecords } from './run-records.ts';
import type {
  CollectionProgress,
  ConsumerCounts,
  RangeCounts,
  RemovalCounts,
  RemovalProgress,
  RestoreDebt,
  RunPointer,
  RunRecord,
  RunUpdate,
} from './types.ts';

/**
 * The run table as one object, for the callers that use several of its
 * parts through one port (the pipeline's `PipelineRuns`, the lifecycle's
 * `RunLog`): each call goes to the part that keeps that kind of item.
 * {@link RunRecords}: the runs; {@link RunPointers}: each customer's latest
 * run, dry run and rollback, and their stop marks; {@link RestoreDebts}: what
 * is still to be switched back on in a customer's target; {@link RunProgress}:
 * producer range figures and outcome counters. A caller that needs one part
 * can take that class alone.
 *
 * @example
 * const runs = new RunStore(db, env.runsTable);
 * await runs.startRun({ customer: 'acme', runId: 'run-1', startedAt, status: 'RUNNING', options: {} });
 * await runs.liveRunId('acme', 'run'); // 'run-1'
 */
export class RunStore {
  private readonly records: RunRecords;
  private readonly pointers: RunPointers;
  private readonly debts: RestoreDebts;
  private readonly counters: RunProgress;

  public constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.records = new RunRecords(db, tableName);
    this.pointers = new RunPointers(db, tableName);
    this.debts = new RestoreDebts(db, tableName);
    this.counters = new RunProgress(db, tableName);
  }

  /** Records a new run and makes it the customer's latest of its kind ({@link RunPointers.point}). */
  public async startRun(run: RunRecord): Promise<void> {
    await this.records.recordRun(run);
    await this.pointers.point(run);
  }

  /**
   * Records a run that is no migration (a verification): its own item only,
   * no latest-run pointer, so no migration ever takes it for its predecessor
   * and no consumer drops a message as stale because of it.
   */
  public async recordRun(run: RunRecord): Promise<void> {
    await this.records.recordRun(run);
  }

  /** {@inheritDoc RunRecords.getRun} */
  public async getRun(customer: string, runId: string): Promise<RunRecord | undefined> {
    return this.records.getRun(customer, runId);
  }

  /** {@inheritDoc RunRecords.updateRun} */
  public async updateRun(customer: string, runId: string, update: RunUpdate): Promise<void> {
    await this.records.updateRun(customer, runId, update);
  }

  /** {@inheritDoc RunRecords.markTargetRefused} */
  public async markTargetRefused(customer: string, runId: string, line: string): Promise<void> {
    await this.records.markTargetRefused(customer, runId, line);
  }

  /** {@inheritDoc RunRecords.targetRefusal} */
  public async targetRefusal(customer: string, runId: string): Promise<string | undefined> {
    return this.records.targetRefusal(customer, runId);
  }

  /** {@inheritDoc RunPointers.latestRunId} */
  public async latestRunId(customer: string, dryRun = false): Promise<string | undefined> {
    return this.pointers.latestRunId(customer, dryRun);
  }

  /** {@inheritDoc RunPointers.latestRollbackId} */
  public async latestRollbackId(customer: string): Promise<string | undefined> {
    return this.pointers.latestRollbackId(customer);
  }

  /** {@inheritDoc RunPointers.liveRunId} */
  public async liveRunId(customer: string, pointer: RunPointer): Promise<string | undefined> {
    return this.pointers.liveRunId(customer, pointer);
  }

  /** {@inheritDoc RunPointers.markStopped} */
  public async markStopped(customer: string, pointer: RunPointer, runId: string): Promise<boolean> {
    return this.pointers.markStopped(customer, pointer, runId);
  }

  /** {@inheritDoc RunPointers.reviveRun} */
  public async reviveRun(customer: string, runId: string): Promise<void> {
    await this.pointers.reviveRun(customer, runId);
  }

  /** {@inheritDoc RestoreDebts.restoreDebt} */
  public async restoreDebt(customer: string): Promise<RestoreDebt> {
    return this.debts.restoreDebt(customer);
  }

  /** {@inheritDoc RestoreDebts.addWorkflowsToRestore} */
  public async addWorkflowsToRestore(customer: string, workflowIds: readonly string[]): Promise<void> {
    await this.debts.addWorkflowsToRestore(customer, workflowIds);
  }

  /** {@inheritDoc RestoreDebts.keepEmailToRestore} */
  public async keepEmailToRestore(customer: string, emailEnabled: boolean): Promise<boolean> {
    return this.debts.keepEmailToRestore(customer, emailEnabled);
  }

  /** {@inheritDoc RestoreDebts.markWorkflowsRestored} */
  public async markWorkflowsRestored(customer: string, workflowIds: readonly string[]): Promise<void> {
    await this.debts.markWorkflowsRestored(customer, workflowIds);
  }

  /** {@inheritDoc RestoreDebts.markEmailRestored} */
  public async markEmailRestored(customer: string): Promise<void> {
    await this.debts.markEmailRestored(customer);
  }

  /** {@inheritDoc RunProgress.recordRange} */
  public async recordRange(customer: string, runId: string, collection: Collection, range: string, counts: RangeCounts): Promise<void> {
    await this.counters.recordRange(customer, runId, collection, range, counts);
  }

  /** {@inheritDoc RunProgress.addOutcomes} */
  public async addOutcomes(customer: string, runId: string, collection: Collection, counts: Partial<ConsumerCounts>, database?: string): Promise<void> {
    await this.counters.addOutcomes(customer, runId, collection, counts, database);
  }

  /** {@inheritDoc RunProgress.addRemovals} */
  public async addRemovals(customer: string, runId: string, collection: Collection, counts: Partial<RemovalCounts>, database?: string): Promise<void> {
    await this.counters.addRemovals(customer, runId, collection, counts, database);
  }

  /** {@inheritDoc RunProgress.addRedriven} */
  public async addRedriven(customer: string, runId: string, collection: Collection, moved: number): Promise<void> {
    await this.counters.addRedriven(customer, runId, collection, moved);
  }

  /** {@inheritDoc RunProgress.settleOutcomes} */
  public async settleOutcomes(customer: string, runId: string, collection: Collection, counts: ConsumerCounts): Promise<ConsumerCounts> {
    return this.counters.settleOutcomes(customer, runId, collection, counts);
  }

  /** {@inheritDoc RunProgress.settleRemovals} */
  public async settleRemovals(customer: string, runId: string, collection: Collection, counts: RemovalCounts): Promise<RemovalCounts> {
    return this.counters.settleRemovals(customer, runId, collection, counts);
  }

  /** {@inheritDoc RunProgress.outcomeCount} */
  public async outcomeCount(customer: string, runId: string, collection: Collection): Promise<number> {
    return this.counters.outcomeCount(customer, runId, collection);
  }

  /** {@inheritDoc RunProgress.outcomeCounts} */
  public async outcomeCounts(customer: string, runId: string, collection: Collection, database?: string): Promise<{ all: number; subproject?: number }> {
    return this.counters.outcomeCounts(customer, runId, collection, database);
  }

  /** {@inheritDoc RunProgress.redriven} */
  public async redriven(customer: string, runId: string): Promise<Partial<Record<Collection, number>>> {
    return this.counters.redriven(customer, runId);
  }

  /** {@inheritDoc RunProgress.removalProgress} */
  public async removalProgress(customer: string, runId: string): Promise<Partial<Record<Collection, RemovalProgress>>> {
    return this.counters.removalProgress(customer, runId);
  }

  /** {@inheritDoc RunProgress.progress} */
  public async progress(customer: string, runId: string, extra: readonly string[] = []): Promise<Partial<Record<Collection, CollectionProgress>>> {
    return this.counters.progress(customer, runId, extra);
  }
}
