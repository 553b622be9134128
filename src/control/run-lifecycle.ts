import { InvalidInputError } from '../domain/index.ts';
import { RunReportWriter } from '../ledger/index.ts';
import { effectiveSettings, parseRunOverrides } from '../pipeline/index.ts';
import { tenantOf } from '../profile/index.ts';
import { LegacyPrecheck } from '../source/index.ts';
import { deactivateWorkflows, restoreWorkflows, saveActiveWorkflows, setEmail } from './target-settings.ts';
import type {
  ClosedRunReport,
  ConfigureEvent,
  ConfiguredRun,
  LockKey,
  ReportEvent,
  RunKind,
  RunLifecycleDependencies,
  RunTargetEvent,
  WorkflowsEvent,
} from './types.ts';

/**
 * A run's life around the migration itself: configure it, save and switch
 * off the target's workflows and e-mail, restore them, close the run and
 * write its report. One method per workflow step; the handlers only parse
 * their event and call it.
 *
 * What must be restored is a debt of the customer's FiberConnect tenant in
 * the run table: each run adds what it found ACTIVE before it switches
 * anything off, and only a restore that succeeded takes it away. So a run
 * that was killed, or failed before it could read the target, leaves the
 * debt to the next run of that tenant that gets to restore, and the target
 * ends with its original settings.
 *
 * Configure takes the customer's lock (and, for a run that switches the
 * target, its tenant's) before it records anything; the report gives them
 * back. So a second run of the customer is refused before it changes
 * anything, and customers sharing a tenant never switch it at once.
 *
 * @example
 * const lifecycle = getRunLifecycle((arn) => executionRunning(sfn, arn));
 * const run = await lifecycle.configure({ customer: 'acme', runId, executionArn }); // RunLockedError while acme's run goes on
 * const { workflowIds } = await lifecycle.saveWorkflows({ customer: 'acme', runId, targetRps: run.options.targetRps });
 * await lifecycle.report({ customer: 'acme', runId, status: 'SUCCEEDED' }); // closes the run (its locks given back), writes its report
 */
export class RunLifecycle {
  public constructor(private readonly deps: RunLifecycleDependencies) {}

  /**
   * Fills the run options that were not given from the customer's profile,
   * runs the legacy pre-check (every active sub-project readable), and
   * records the run as the customer's latest (a rollback as its latest
   * rollback: the migration it follows stays the latest migration).
   * @throws InvalidInputError when the pre-check fails, or a rollback has no migration to follow.
   */
  public async configure({ customer, runId, options, kind, executionArn, plan }: ConfigureEvent): Promise<ConfiguredRun> {
    const profile = await this.deps.profile(customer);
    const settings = effectiveSettings(profile, parseRunOverrides(options));
    // The same check the CLI made before it started anything: a run started any other way is refused before the target is switched off too.
    const subprojects = await new LegacyPrecheck(await this.deps.registry()).subprojects(customer);
    // A dry run is nobody's predecessor and has none: it changes nothing a later run would build on.
    const previousRunId = settings.dryRun ? undefined : await this.deps.runs.latestRunId(customer);
    if (kind === 'rollback' && !previousRunId)
      throw new InvalidInputError(`customer ${customer} has no migration run to roll back`, { input: 'customer', issue: 'no run' });
    if (kind === 'redrive' && settings.dryRun)
      throw new InvalidInputError('a redrive has no dry run: it sends dead letters to FiberConnect', { input: 'dryRun', issue: 'redrive' });
    if (kind === 'redrive' && !previousRunId)
      throw new InvalidInputError(`customer ${customer} has no run whose dead letters to redrive`, { input: 'customer', issue: 'no run' });
    // Locked before the run is recorded: a refused run never becomes the latest, so the running one's messages stay its own.
    const runKind: RunKind = kind ?? (settings.dryRun ? 'dry-run' : plan ? 'plan' : 'migration');
    const locks = lockKeys(customer, tenantOf(profile), runKind);
    const startedAt = this.deps.clock().toISOString();
    const stale = await this.deps.locks.acquire(locks, { customer, runId, kind: runKind, executionArn, startedAt, ...(plan ? { plan } : {}) });
    for (const holder of stale) this.deps.logger.warn('took over the lock of a run that no longer runs', { customer, runId, stale: holder });
    try {
      await this.recordStart({ customer, runId, startedAt, settings, databases: subprojects.map((s) => s.database), previousRunId, kind });
    } catch (error) {
      await this.deps.locks.release(locks, runId);
      throw error;
    }
    this.deps.logger.info('run configured', { customer, runId, kind: runKind, subprojects: subprojects.map((s) => s.database) });
    return {
      customer,
      runId,
      options: settings,
      subprojects: subprojects.map((s) => ({ database: s.database, label: s.label })),
      ...(kind === 'redrive' ? { redriveOf: previousRunId } : {}),
    };
  }

  /** Records the run as started, the customer's latest (or latest dry run, or latest rollback). */
  private async recordStart(start: {
    customer: string;
    runId: string;
    startedAt: string;
    settings: ConfiguredRun['options'];
    databases: string[];
    previousRunId: string | undefined;
    kind: ConfigureEvent['kind'];
  }): Promise<void> {
    const { customer, runId, startedAt, settings, databases, previousRunId, kind } = start;
    if (kind === 'redrive') {
      // A redrive is no latest run: the messages it sends again carry the run they belong to, which must stay the live one (a stop of it is lifted).
      await this.deps.runs.recordRun({ customer, runId, startedAt, status: 'RUNNING', options: { ...settings }, databases, kind, redriveOf: previousRunId! });
      await this.deps.runs.reviveRun(customer, previousRunId!);
      return;
    }
    await this.deps.runs.startRun({
      customer,
      runId,
      startedAt,
      status: 'RUNNING',
      options: { ...settings },
      databases,
      ...(previousRunId && previousRunId !== runId ? { previousRunId } : {}),
      ...(settings.dryRun ? { dryRun: true } : {}),
      ...(kind ? { kind } : {}),
    });
  }

  /**
   * Adds the workflows ACTIVE now to what must be restored and returns all of
   * it: what this run switches off, with what earlier runs left off. A target
   * that cannot be read fails the step and leaves the debt untouched.
   */
  public async saveWorkflows({ customer, runId, targetRps }: RunTargetEvent): Promise<{ workflowIds: string[] }> {
    const tenant = await this.tenant(customer);
    const active = await saveActiveWorkflows(await this.deps.target(customer, targetRps));
    // Recorded before anything is switched off: a kill right after still knows what to restore.
    await this.deps.runs.addWorkflowsToRestore(tenant, active);
    const { workflowIds } = await this.deps.runs.restoreDebt(tenant);
    await this.deps.runs.updateRun(customer, runId, { savedWorkflowIds: workflowIds });
    this.deps.logger.info('saved active workflows', { customer, runId, active, workflowIds });
    return { workflowIds };
  }

  /** Switches the saved workflows off so migrated work orders trigger no e-mail. */
  public async deactivateWorkflows({ customer, targetRps, workflowIds }: WorkflowsEvent): Promise<{ deactivated: number }> {
    await deactivateWorkflows(await this.deps.target(customer, targetRps), workflowIds);
    this.deps.logger.info('deactivated workflows', { customer, workflowIds });
    return { deactivated: workflowIds.length };
  }

  /**
   * Records the e-mail setting to restore, then switches e-mail off. When an
   * earlier run left e-mail off, its recorded setting is the one to restore,
   * not the `false` the target shows now.
   */
  public async switchEmailOff({ customer, runId, targetRps }: RunTargetEvent): Promise<{ emailEnabled: boolean }> {
    const target = await this.deps.target(customer, targetRps);
    const tenant = await this.tenant(customer);
    const owed = (await this.deps.runs.restoreDebt(tenant)).emailEnabled;
    const emailEnabled = await this.deps.runs.keepEmailToRestore(tenant, owed ?? (await target.getNotifications()).emailEnabled);
    await this.deps.runs.updateRun(customer, runId, { savedEmailEnabled: emailEnabled });
    await setEmail(target, false);
    this.deps.logger.info('switched e-mail off', { customer, runId, toRestore: emailEnabled, fromEarlierRun: owed !== undefined });
    return { emailEnabled };
  }

  /**
   * Switches back on the given workflows and every workflow still owed, then
   * clears them from the debt. Runs on success and in every Catch, also when
   * this run saved nothing, so it pays off what earlier runs left. A dry run
   * switched nothing off and changes nothing on the target: nothing to restore.
   */
  public async restoreWorkflows({ customer, targetRps, workflowIds, dryRun }: WorkflowsEvent): Promise<{ workflowsRestored: boolean }> {
    if (dryRun) return { workflowsRestored: true };
    const tenant = await this.tenant(customer);
    const owed = (await this.deps.runs.restoreDebt(tenant)).workflowIds;
    const toRestore = [...new Set([...workflowIds, ...owed])].sort();
    if (toRestore.length > 0) {
      await restoreWorkflows(await this.deps.target(customer, targetRps), toRestore);
      await this.deps.runs.markWorkflowsRestored(tenant, toRestore);
    }
    this.deps.logger.info('restored workflows', { customer, workflowIds: toRestore });
    return { workflowsRestored: true };
  }

  /**
   * Puts back the e-mail setting still owed (this run's or an earlier one's),
   * then clears it; runs on success and in every Catch. A dry run changes
   * nothing on the target: nothing to restore.
   */
  public async restoreEmail({ customer, runId, targetRps, dryRun }: RunTargetEvent): Promise<{ emailRestored: boolean }> {
    if (dryRun) return { emailRestored: true };
    const tenant = await this.tenant(customer);
    const { emailEnabled } = await this.deps.runs.restoreDebt(tenant);
    if (emailEnabled !== undefined) {
      await setEmail(await this.deps.target(customer, targetRps), emailEnabled);
      await this.deps.runs.markEmailRestored(tenant);
    }
    this.deps.logger.info('restored e-mail setting', { customer, runId, emailEnabled });
    return { emailRestored: true };
  }

  /**
   * Closes the run, builds its report from the ledger (a redrive's: the report of the run it redrove, written again),
   * and writes report.json and report.html. The run counts as restored only
   * when its restore step said so and nothing is still owed.
   */
  public async report({ customer, runId: closing, status, error, target, redriveOf }: ReportEvent): Promise<ClosedRunReport> {
    const { runs } = this.deps;
    await this.closeRun({ customer, runId: closing, status, ...(error ? { error } : {}), ...(target ? { target } : {}) });
    // A redrive's report is that of the run it redrove, written again with the records it sent.
    const runId = redriveOf ?? closing;
    const { keys, summary, settled } = await new RunReportWriter(this.deps.ledger, runs, this.deps.reports).write(customer, runId, this.deps.clock());
    // Short live counters mean a delivery stopped between its ledger writes and its counters; counters over the ledger mean a record counted twice.
    for (const { collection, live, ledger } of settled)
      this.deps.logger.warn('live counters differed from the ledger: set to it', { customer, runId, collection, live, ledger });
    this.deps.logger.info('report written', { customer, runId, status, json: keys.json, target: summary.target });
    return { reportJson: this.deps.reports.uri(keys.json), reportHtml: this.deps.reports.uri(keys.html), status, settled, dryRun: summary.dryRun === true };
  }

  /**
   * Records the run's end: its status, error, and whether the target was
   * restored (only when the restore steps said so and nothing is still owed).
   * A migration's report and a rollback's both start here, and give back the
   * run's locks: the next run of the customer (or its tenant) may start.
   */
  public async closeRun({ customer, runId, status, error, target }: Omit<ReportEvent, 'redriveOf'>): Promise<void> {
    const tenant = await this.tenant(customer);
    const owed = await this.deps.runs.restoreDebt(tenant);
    await this.deps.runs.updateRun(customer, runId, {
      status,
      finishedAt: this.deps.clock().toISOString(),
      target: {
        workflowsRestored: target?.workflows?.workflowsRestored === true && owed.workflowIds.length === 0,
        emailRestored: target?.email?.emailRestored === true && owed.emailEnabled === undefined,
      },
      ...(error ? { error: [error.Error, error.Cause].filter(Boolean).join(': ') } : {}),
    });
    // Released only by the run that holds them (a conditional delete): a dry run's never-taken tenant lock is left as it is.
    await this.deps.locks.release(lockKeys(customer, tenant, 'migration'), runId);
  }

  /** The customer's FiberConnect tenant (its profile's `tenant`, or itself): whose restore debt and lock a run uses. */
  private async tenant(customer: string): Promise<string> {
    return tenantOf(await this.deps.profile(customer));
  }
}

/**
 * The locks a run takes: its customer's always; its tenant's when it may
 * switch the target's workflows and e-mail (a dry run never does).
 */
export function lockKeys(customer: string, tenant: string, kind: RunKind): LockKey[] {
  const keys: LockKey[] = [{ scope: 'customer', name: customer }];
  if (kind !== 'dry-run') keys.push({ scope: 'tenant', name: tenant });
  return keys;
}
