import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvalidInputError } from '../../src/domain/index.ts';
import { verifyKeys } from '../../src/verify/index.ts';
import type { Backend } from './backend.ts';
import { downloadReportPair, newRunId, openStage, withLocalRuntime, type MigrateRuntimeSettings, type MigrationOutcome } from './migrate.ts';
import type { MigrateOptions } from './options.ts';
import { verifyLists, verifySummaryTable, type VerifyFile } from './verify-summary.ts';
import { VerifyProgress } from './verify-progress.ts';
import { printable } from './terminal-text.ts';

/** How a verification ended: `status` SUCCEEDED only when nothing is missing or stray (exit 0), else FAILED (exit 1). */
export interface VerificationOutcome extends MigrationOutcome {
  verification?: VerifyFile;
  verifyFiles?: { json: string; html: string; s3Json: string };
}

/**
 * `make verify CUSTOMER=x` on the embedded local runtime: the same checks as
 * a migration (legacy side, token), nothing seeded, then the verification
 * state machine, live progress, and the summary with every missing and stray record.
 */
export async function verifyLocally(options: MigrateOptions, settings: MigrateRuntimeSettings = {}): Promise<VerificationOutcome> {
  return withLocalRuntime(options, settings, (backend, say) => followVerification(backend, options, settings, say), 'read-only');
}

/**
 * `make verify STAGE=x`: the deployed verification state machine, after the
 * stage's legacy pre-check and the token check, as `make migrate STAGE=x`.
 * It runs on AWS: the laptop only follows it.
 */
export async function verifyOnAws(options: MigrateOptions, stage: string, settings: MigrateRuntimeSettings = {}): Promise<VerificationOutcome> {
  const out = settings.out ?? process.stdout;
  const say = (line: string): void => void out.write(`${line}\n`);
  const backend = await openStage(options, stage, (stack) => stack.verifyStateMachineArn, 'verification', say);
  return followVerification(backend, options, settings, say);
}

/**
 * Starts a verification and follows it to the end (every runtime alike).
 * A customer never migrated on this backend is bad input: nothing starts.
 */
export async function followVerification(
  backend: Backend,
  options: MigrateOptions,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
): Promise<VerificationOutcome> {
  const { customer } = options;
  const latest = await backend.runs.latestRunId(customer);
  if (!latest)
    throw new InvalidInputError(`customer ${customer} was never migrated on ${backend.name}: nothing to verify (make migrate CUSTOMER=${customer} first)`, {
      input: 'CUSTOMER',
      issue: 'no run',
    });
  const runId = newRunId();
  const { executionArn } = await backend.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: backend.stack.verifyStateMachineArn,
      name: runId,
      input: JSON.stringify({ customer, runId, options: options.overrides }),
    }),
  );
  say(`verification ${runId} started for customer ${customer} (read-only: GET requests to FiberConnect, the ledger as of run ${latest})`);
  const view = new VerifyProgress(settings.out ?? process.stdout);
  let status = 'RUNNING';
  let error: string | undefined;
  while (status === 'RUNNING') {
    await sleep(settings.pollIntervalMs ?? 1000);
    const execution = await backend.sfn.send(new DescribeExecutionCommand({ executionArn }));
    status = execution.status ?? 'UNKNOWN';
    if (execution.error || execution.cause) error = [execution.error, execution.cause].filter(Boolean).join(': ');
    if (view.due() || status !== 'RUNNING') view.update(status, await VerifyProgress.totals(backend.verifyStore.figures(customer, runId)));
  }
  view.stop();
  const outcome: VerificationOutcome = { runId, status: 'FAILED', ...(error ? { error } : {}) };
  try {
    Object.assign(outcome, await fetchVerification(backend, customer, runId, settings.reportsDir ?? 'reports'));
  } catch (fetchError) {
    say(`no verify.json was written for verification ${runId}: ${printable((fetchError as Error).message)}`);
  }
  const file = outcome.verification;
  if (file) {
    say('');
    say(verifySummaryTable(file));
    for (const line of verifyLists(file)) say(line);
    say(`verify: ${outcome.verifyFiles!.json} and ${outcome.verifyFiles!.html} (${outcome.verifyFiles!.s3Json})`);
    outcome.status = file.ok ? 'SUCCEEDED' : 'FAILED';
  }
  if (status !== 'SUCCEEDED') say(`verification ${runId} ${status}${error ? `: ${printable(error)}` : ''}`);
  return outcome;
}

/** Downloads verify.json and verify.html into `<reportsDir>/<customer>/<runId>/`. */
async function fetchVerification(
  backend: Backend,
  customer: string,
  runId: string,
  reportsDir: string,
): Promise<Required<Pick<VerificationOutcome, 'verification' | 'verifyFiles'>>> {
  const files = await downloadReportPair(backend, verifyKeys(customer, runId), join(reportsDir, customer, runId), 'verify');
  // Whole: the CLI prints every missing and stray record of it.
  return { verification: JSON.parse(await readFile(files.json, 'utf8')) as VerifyFile, verifyFiles: files };
}
