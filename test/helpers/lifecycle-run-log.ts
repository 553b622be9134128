import type { RunLog } from '../../src/control/types.ts';
import type { Collection } from '../../src/domain/types.ts';
import type { ConsumerCounts, RestoreDebt, RunRecord } from '../../src/ledger/types.ts';

/**
 * The run table in memory, with the same rules as the DynamoDB one: a
 * string-set ADD/DELETE for the workflows to restore, `if_not_exists` for the
 * e-mail setting.
 */
export class InMemoryRunLog implements RunLog {
  public readonly runs = new Map<string, RunRecord>();
  private readonly latest = new Map<string, string>();
  private readonly latestDry = new Map<string, string>();
  public readonly latestRollback = new Map<string, string>();
  private readonly debts = new Map<string, { workflowIds: Set<string>; emailEnabled?: boolean }>();

  public async startRun(run: RunRecord): Promise<void> {
    this.runs.set(`${run.customer}#${run.runId}`, structuredClone(run));
    (run.kind === 'rollback' ? this.latestRollback : run.dryRun ? this.latestDry : this.latest).set(run.customer, run.runId);
  }

  /** Runs recorded apart (a redrive): no latest-run pointer moves. */
  public async recordRun(run: RunRecord): Promise<void> {
    this.runs.set(`${run.customer}#${run.runId}`, structuredClone(run));
  }

  /** Runs whose stop mark a redrive lifted. */
  public readonly revived: string[] = [];

  public async reviveRun(_customer: string, runId: string): Promise<void> {
    this.revived.push(runId);
  }

  public async getRun(customer: string, runId: string): Promise<RunRecord | undefined> {
    const run = this.runs.get(`${customer}#${runId}`);
    return run && structuredClone(run);
  }

  public async latestRunId(customer: string, dryRun = false): Promise<string | undefined> {
    return (dryRun ? this.latestDry : this.latest).get(customer);
  }

  public async updateRun(customer: string, runId: string, update: Partial<RunRecord>): Promise<void> {
    const key = `${customer}#${runId}`;
    // DynamoDB's UpdateItem creates the item when it is missing; so does this.
    this.runs.set(key, { ...(this.runs.get(key) ?? ({ customer, runId } as RunRecord)), ...structuredClone(update) });
  }

  public async progress(): Promise<Record<string, never>> {
    return {};
  }

  /** What the report set the live counters to, per `customer#runId#collection` (progress stays empty: nothing here ADDs). */
  public readonly settled = new Map<string, ConsumerCounts>();

  public async settleOutcomes(customer: string, runId: string, collection: Collection, counts: ConsumerCounts): Promise<ConsumerCounts> {
    this.settled.set(`${customer}#${runId}#${collection}`, { ...counts });
    return { migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 };
  }

  public async restoreDebt(customer: string): Promise<RestoreDebt> {
    const debt = this.debts.get(customer);
    const workflowIds = [...(debt?.workflowIds ?? [])].sort();
    return debt?.emailEnabled === undefined ? { workflowIds } : { workflowIds, emailEnabled: debt.emailEnabled };
  }

  public async addWorkflowsToRestore(customer: string, workflowIds: readonly string[]): Promise<void> {
    for (const id of workflowIds) this.debtOf(customer).workflowIds.add(id);
  }

  public async keepEmailToRestore(customer: string, emailEnabled: boolean): Promise<boolean> {
    const debt = this.debtOf(customer);
    debt.emailEnabled ??= emailEnabled;
    return debt.emailEnabled;
  }

  public async markWorkflowsRestored(customer: string, workflowIds: readonly string[]): Promise<void> {
    for (const id of workflowIds) this.debtOf(customer).workflowIds.delete(id);
  }

  public async markEmailRestored(customer: string): Promise<void> {
    delete this.debtOf(customer).emailEnabled;
  }

  private debtOf(customer: string): { workflowIds: Set<string>; emailEnabled?: boolean } {
    let debt = this.debts.get(customer);
    if (!debt) this.debts.set(customer, (debt = { workflowIds: new Set() }));
    return debt;
  }
}
