import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvalidInputError } from '../../src/domain/index.ts';
import type { Backend } from './backend.ts';
import { fetchReport, newRunId, type MigrateRuntimeSettings, type MigrationOutcome } from './migrate.ts';
import type { MigrateOptions } from './options.ts';
import { findRootCause, rootCauseLine } from './root-cause.ts';
import { refuseIfRunning, refusalOf } from './run-guard.ts';
import { summaryTable } from './summary.ts';
import { watchExecution, type WatchedRun } from './watch-execution.ts';

/**
 * `make redrive CUSTOMER=x`: a run of its own (statemachines/redrive.json),
 * under the customer's and its tenant's locks like a migration: the
 * target's workflows and e-mail are switched off, the customer's
 * dead-lettered messages (and no other customer's) go back to their queues
 * collection by collection, parents first, each worked off before the next,
 * then the target is restored and the report of the run they belong to (the
 * customer's latest) is written again with their new outcomes.
 * Messages of an older run are dropped by the consumers as stale.
 */
export async function redriveRun(
  backend: Backend,
  options: MigrateOptions,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
): Promise<MigrationOutcome> {
  const customer = options.customer;
  if (options.overrides.dryRun)
    throw new InvalidInputError('a redrive has no dry run: it sends dead letters to FiberConnect', { input: 'DRY_RUN', issue: 'redrive' });
  const latest = await backend.runs.latestRunId(customer);
  if (!latest)
    throw new InvalidInputError(`customer ${customer} has no run on ${backend.name} yet: nothing to redrive`, { input: 'CUSTOMER', issue: customer });
  await refuseIfRunning(backend, customer);
  const runId = newRunId();
  const stateMachineArn = backend.stack.redriveStateMachineArn;
  const { executionArn } = await backend.sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify({ customer, runId, options: options.overrides }) }),
  );
  say(
    `redrive ${runId} started for customer ${customer}: its dead letters of run ${latest} go back, with the target's workflows and e-mail switched off and restored as in a migration`,
  );
  return watchRedrive(backend, { customer, runId, executionArn: executionArn!, stateMachineArn }, settings, say);
}

/** Follows a redrive's execution (started here, or found running by `make follow`) and ends with the report of the run it redrove. */
export async function watchRedrive(
  backend: Backend,
  run: WatchedRun,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
): Promise<MigrationOutcome> {
  const { status, failure } = await watchExecution(backend, run, settings, say, async () => undefined);
  if (status === 'DETACHED') return { runId: run.runId, status };
  const rootCause = status !== 'SUCCEEDED' && failure ? await findRootCause(failure, backend.failedChild) : undefined;
  const refusal = refusalOf(rootCause, run.customer);
  if (refusal) throw refusal;
  const redrive = await backend.runs.getRun(run.customer, run.runId);
  const moved = await backend.runs.redriven(run.customer, run.runId);
  say(
    `moved ${Object.values(moved).reduce((sum, n) => sum + n, 0)} dead-lettered message(s) back: ${
      Object.entries(moved)
        .filter(([, n]) => n > 0)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  const restored = redrive?.target;
  say(
    `redrive ${run.runId} ${status === 'ABORTED' ? 'STOPPED' : status}; the target's workflows ${restored?.workflowsRestored ? 'and' : 'or'} e-mail ${restored?.workflowsRestored && restored.emailRestored ? 'were switched off and restored' : 'were NOT all restored: the next run of the customer puts them back'}${rootCause ? `: ${rootCauseLine(rootCause)}` : ''}`,
  );
  const outcome: MigrationOutcome = {
    runId: redrive?.redriveOf ?? run.runId,
    status,
    ...(failure ? { error: [failure.error, failure.cause].filter(Boolean).join(': ') } : {}),
  };
  if (!redrive?.redriveOf) return outcome;
  try {
    Object.assign(outcome, await fetchReport(backend, run.customer, redrive.redriveOf, settings.reportsDir ?? 'reports'));
    say(summaryTable(outcome.report!));
    say(`report of run ${redrive.redriveOf}, written again: ${outcome.reportFiles!.json} and ${outcome.reportFiles!.html} (${outcome.reportFiles!.s3Json})`);
  } catch (reportError) {
    say(`no report was written for run ${redrive.redriveOf}: ${(reportError as Error).message}`);
  }
  return outcome;
}
