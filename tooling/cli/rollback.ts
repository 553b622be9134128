import { join } from 'node:path';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvalidInputError } from '../../src/domain/index.ts';
import { type RollbackFigures, rollbackReportKeys } from '../../src/rollback/index.ts';
import { readRollbackFigures } from './report-file.ts';
import type { Backend } from './backend.ts';
import { downloadReportPair, newRunId, openStage, withLocalRuntime, type MigrateRuntimeSettings, type MigrationOutcome } from './migrate.ts';
import type { MigrateOptions } from './options.ts';
import { findRootCause, rootCauseLine } from './root-cause.ts';
import { refuseIfRunning, refusalOf } from './run-guard.ts';
import { watchExecution, type WatchedRun } from './watch-execution.ts';
import { rollbackProgressLine, rollbackSummaryTable } from './rollback-summary.ts';
import { printable } from './terminal-text.ts';

/** How a rollback ended, with its report when it got as far as writing one. */
export interface RollbackOutcome extends MigrationOutcome {
  rollback?: RollbackFigures;
  rollbackFiles?: { json: string; html: string; s3Json: string };
}

/** Least time between two progress lines. */
const PROGRESS_INTERVAL_MS = 10_000;

/**
 * `make rollback` on the embedded local runtime: the same checks as a
 * migration (legacy side, token), then the rollback state machine, live
 * progress, rollback.json and rollback.html at the end.
 */
export async function rollbackLocally(options: MigrateOptions, settings: MigrateRuntimeSettings = {}): Promise<RollbackOutcome> {
  return withLocalRuntime(options, settings, (backend, say) => followRollback(backend, options, settings, say), { workflow: 'rollback' });
}

/** `make rollback STAGE=x`: the same on a deployed stage, checked as `make migrate STAGE=x` checks. */
export async function rollbackOnAws(options: MigrateOptions, stage: string, settings: MigrateRuntimeSettings = {}): Promise<RollbackOutcome> {
  const out = settings.out ?? process.stdout;
  const say = (line: string): void => void out.write(`${line}\n`);
  const backend = await openStage(options, stage, (stack) => stack.rollbackStateMachineArn, 'rollback', say);
  return followRollback(backend, options, settings, say);
}

/**
 * Starts the rollback and follows it to the end; shared by every runtime.
 * A customer without a migration run, or whose run is still going, is bad
 * input: nothing is started.
 */
export async function followRollback(
  backend: Backend,
  options: MigrateOptions,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
): Promise<RollbackOutcome> {
  if (options.overrides.dryRun)
    throw new InvalidInputError('a rollback has no dry run: rollback.json of a real one lists what it kept', { input: 'DRY_RUN', issue: 'rollback' });
  const previous = await backend.runs.latestRunId(options.customer);
  if (!previous)
    throw new InvalidInputError(`customer ${options.customer} has no migration run to roll back: nothing changed`, { input: 'CUSTOMER', issue: 'no run' });
  await refuseIfRunning(backend, options.customer);
  const runId = newRunId();
  const stateMachineArn = backend.stack.rollbackStateMachineArn;
  const { executionArn } = await backend.sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify({ customer: options.customer, runId, options: options.overrides }) }),
  );
  say(`rollback ${runId} started for customer ${options.customer}: removes what the engine created (latest migration run ${previous})`);
  return watchRollback(backend, { customer: options.customer, runId, executionArn: executionArn!, stateMachineArn }, settings, say);
}

/** Follows a rollback's execution (started here, or found running by `make follow`) with a progress line every 10 s, and ends with rollback.json. */
export async function watchRollback(
  backend: Backend,
  run: WatchedRun,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
): Promise<RollbackOutcome> {
  let lastLine = 0;
  let lastText = '';
  const { status, failure } = await watchExecution(backend, run, settings, say, async (current, busy) => {
    const text = rollbackProgressLine(current, await backend.runs.removalProgress(run.customer, run.runId));
    if (busy || text === lastText || Date.now() - lastLine < PROGRESS_INTERVAL_MS) return;
    say(`[${new Date().toISOString()}] ${text}`);
    lastLine = Date.now();
    lastText = text;
  });
  if (status === 'DETACHED') return { runId: run.runId, status };
  const rootCause = status !== 'SUCCEEDED' && failure ? await findRootCause(failure, backend.failedChild) : undefined;
  const refusal = refusalOf(rootCause, run.customer);
  if (refusal) throw refusal;
  const outcome: RollbackOutcome = { runId: run.runId, status, ...(failure ? { error: [failure.error, failure.cause].filter(Boolean).join(': ') } : {}) };
  try {
    Object.assign(outcome, await fetchRollbackReport(backend, run.customer, run.runId, settings.reportsDir ?? 'reports'));
    say('');
    say(rollbackSummaryTable(outcome.rollback!));
    say(`rollback report: ${outcome.rollbackFiles!.json} and ${outcome.rollbackFiles!.html} (${outcome.rollbackFiles!.s3Json})`);
  } catch (reportError) {
    say(`no rollback report was written for run ${run.runId}: ${printable((reportError as Error).message)}`);
  }
  if (status !== 'SUCCEEDED') {
    if (rootCause) outcome.rootCause = rootCauseLine(rootCause);
    say(`rollback ${run.runId} ${status === 'ABORTED' ? 'STOPPED' : status}${outcome.rootCause ? `: ${outcome.rootCause}` : ''}`);
  }
  return outcome;
}

/** Downloads a rollback's report from the bucket into `<reportsDir>/<customer>/<runId>/`. */
async function fetchRollbackReport(
  backend: Backend,
  customer: string,
  runId: string,
  reportsDir: string,
): Promise<Required<Pick<RollbackOutcome, 'rollback' | 'rollbackFiles'>>> {
  const files = await downloadReportPair(backend, rollbackReportKeys(customer, runId), join(reportsDir, customer, runId), 'rollback');
  return { rollback: await readRollbackFigures(files.json), rollbackFiles: files };
}
