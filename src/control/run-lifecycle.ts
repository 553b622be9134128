import { InvalidInputError } from '../domain/errors.ts';
import { RunReportWriter } from '../ledger/report-writer.ts';
import { effectiveSettings, parseRunOverrides } from '../pipeline/run-settings.ts';
import { deactivateWorkflows, restoreWorkflows, saveActiveWorkflows, setEmail } from './target-settings.ts';
import type { ConfigureEvent, ConfiguredRun, ReportEvent, RunLifecycleDependencies, RunTargetEvent, WorkflowsEvent, WrittenReport } from './types.ts';

/**
 * A run's life around the migration itself: configure it, save and switch
 * off the target's workflows and e-mail, restore them, close the run and
 * write its report. One method per workflow step; the handlers only parse
 * their event and call it.
 *
 * What must be restored is a per-customer debt in the run table: each run
 * adds what it found ACTIVE before it switches anything off, and only a
 * restore that succeeded takes it away. So a run that was killed, or failed
 * before it could read the target, leaves the debt to the next run that gets
 * to restore, and the target ends with its original settings.
 */
export class RunLifecycle {
  public constructor(private readonly deps: RunLifecycleDependencies) {}

  /**
   * Fills the run options that were not given from the customer's profile,
   * lists the active sub-projects, and records the run as the customer's
   * latest (a rollback as its latest rollback: the migration it follows stays the latest migration).
   * @throws InvalidInputError when the customer has no active sub-project, or a rollback has no migration to follow.
   */
  public async configure({ customer, runId, options, kind }: ConfigureEvent): Promise<ConfiguredRun> {
    const settings = effectiveSettings(await this.deps.profile(customer), parseRunOverrides(options));
    const subprojects = await (await this.deps.registry()).listSubprojects(customer);
    if (subprojects.length === 0)
      throw new InvalidInputError(`customer ${customer} has no active sub-project in the registry`, { input: 'customer', issue: customer });
    // A dry run is nobody's predecessor and has none: it changes nothing a later run would build on.
    const previousRunId = settings.dryRun ? undefined : await this.deps.runs.latestRunId(customer);
    if (kind === 'rollback' && !previousRunId)
      throw new InvalidInputError(`customer ${customer} has no migration run to roll back`, { input: 'customer', issue: 'no run' });
    await this.deps.runs.startRun({
      customer,
      runId,
      startedAt: this.deps.clock().toISOString(),
      status: 'RUNNING',
      options: { ...settings },
      databases: subprojects.map((s) => s.databaseName),
      ...(previousRunId && previousRunId !== runId ? { previousRunId } : {}),
      ...(settings.dryRun ? { dryRun: true } : {}),
      ...(kind ? { kind } : {}),
    });
    this.deps.logger.info('run configured', { customer, runId, subprojects: subprojects.map((s) => s.databaseName) });
    return { customer, runId, options: settings, subprojects: subprojects.map((s) => ({ database: s.databaseName, label: s.label })) };
  }

  /**
   * Adds the workflows ACTIVE now to what must be restored and returns all of
   * it: what this run switches off, with what earlier runs left off. A target
   * that cannot be read fails the step and leaves the debt untouched.
   */
  public async saveWorkflows({ customer, runId, targetRps }: RunTargetEvent): Promise<{ workflowIds: string[] }> {
    const active = await saveActiveWorkflows(await this.deps.target(customer, targetRps));
    // Recorded before anything is switched off: a kill right after still knows what to restore.
    await this.deps.runs.addWorkflowsToRestore(customer, active);
    const { workflowIds } = await this.deps.runs.restoreDebt(customer);
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
    const owed = (await this.deps.runs.restoreDebt(customer)).emailEnabled;
    const emailEnabled = await this.deps.runs.keepEmailToRestore(customer, owed ?? (await target.getNotifications()).emailEnabled);
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
    const owed = (await this.deps.runs.restoreDebt(customer)).workflowIds;
    const toRestore = [...new Set([...workflowIds, ...owed])].sort();
    if (toRestore.length > 0) {
      await restoreWorkflows(await this.deps.target(customer, targetRps), toRestore);
      await this.deps.runs.markWorkflowsRestored(customer, toRestore);
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
    const { emailEnabled } = await this.deps.runs.restoreDebt(customer);
    if (emailEnabled !== undefined) {
      await setEmail(await this.deps.target(customer, targetRps), emailEnabled);
      await this.deps.runs.markEmailRestored(customer);
    }
    this.deps.logger.info('restored e-mail setting', { customer, runId, emailEnabled });
    return { emailRestored: true };
  }

  /**
   * Closes the run (unless refreshing), builds its report from the ledger,
   * and writes report.json and report.html. The run counts as restored only
   * when its restore step said so and nothing is still owed.
   */
  public async report({ customer, runId, status, error, target, refresh }: ReportEvent): Promise<WrittenReport> {
    const { runs } = this.deps;
    if (!refresh) await this.closeRun({ customer, runId, status, ...(error ? { error } : {}), ...(target ? { target } : {}) });
    const { keys, summary, settled } = await new RunReportWriter(this.deps.ledger, runs, this.deps.reports).write(customer, runId, this.deps.clock());
    // Short live counters mean a delivery stopped between its ledger writes and its counters; counters over the ledger mean a record counted twice.
    for (const { collection, live, ledger } of settled)
      this.deps.logger.warn('live counters differed from the ledger: set to it', { customer, runId, collection, live, ledger });
    this.deps.logger.info('report written', { customer, runId, status, json: keys.json, target: summary.target });
    return { reportJson: this.deps.reports.uri(keys.json), reportHtml: this.deps.reports.uri(keys.html), status };
  }

  /**
   * Records the run's end: its status, error, and whether the target was
   * restored (only when the restore steps said so and nothing is still owed).
   * A migration's report and a rollback's both start here.
   */
  public async closeRun({ customer, runId, status, error, target }: Omit<ReportEvent, 'refresh'>): Promise<void> {
    const owed = await this.deps.runs.restoreDebt(customer);
    await this.deps.runs.updateRun(customer, runId, {
      status,
      finishedAt: this.deps.clock().toISOString(),
      target: {
        workflowsRestored: target?.workflows?.workflowsRestored === true && owed.workflowIds.length === 0,
        emailRestored: target?.email?.emailRestored === true && owed.emailEnabled === undefined,
      },
      ...(error ? { error: [error.Error, error.Cause].filter(Boolean).join(': ') } : {}),
    });
  }
}
