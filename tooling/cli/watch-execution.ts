import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import type { Backend } from './backend.ts';
import { InterruptWatch, terminalIo, type InterruptIo } from './interrupt.ts';
import type { FailedExecution } from './root-cause.ts';
import { executionArnOf, restoreName, stopRun, untilEnded } from './stop-command.ts';

/** A run's execution the CLI follows. */
export interface WatchedRun {
  customer: string;
  runId: string;
  executionArn: string;
  /** The state machine it runs on: a stop's restore runs on the same one. */
  stateMachineArn: string;
}

/** How the watch ended: the execution's status, its failure, or DETACHED (Ctrl-C, detach: the run goes on). */
export interface WatchResult {
  status: string;
  failure?: FailedExecution;
}

/** What the watch needs besides the run. */
export interface WatchSettings {
  pollIntervalMs?: number;
  /** Who answers Ctrl-C (default: this process's terminal). */
  interruptIo?: InterruptIo;
}

/** Longest wait for the restore of a run stopped from elsewhere to start, beyond the consumer's timeout that the stop waits first. */
const RESTORE_START_GRACE_MS = 120_000;

/**
 * Follows an execution to its end, one look per poll, calling `onLook`
 * after each. Ctrl-C asks what to do ({@link InterruptWatch}): stop (the run
 * is stopped and the target restored, {@link stopRun}), detach (on a stage:
 * the run goes on and the CLI says how to follow or stop it), or go on
 * watching. A run stopped from elsewhere (`make stop`) is followed until its
 * restore has written the report.
 */
export async function watchExecution(
  backend: Backend,
  run: WatchedRun,
  settings: WatchSettings,
  say: (line: string) => void,
  onLook: (status: string, busy: boolean) => Promise<void>,
): Promise<WatchResult> {
  const watch = new InterruptWatch(settings.interruptIo ?? terminalIo(backend.name === 'local', say));
  watch.listen();
  try {
    let status = 'RUNNING';
    let failure: FailedExecution | undefined;
    while (status === 'RUNNING') {
      await sleep(settings.pollIntervalMs ?? 1000);
      const choice = watch.take();
      if (choice === 'detach') {
        sayDetached(backend, run, say);
        return { status: 'DETACHED' };
      }
      if (choice === 'stop') await stopRun(backend, run.customer, say, settings);
      const execution = await backend.sfn.send(new DescribeExecutionCommand({ executionArn: run.executionArn }));
      status = execution.status ?? 'UNKNOWN';
      if (execution.error || execution.cause)
        failure = { error: execution.error, cause: execution.cause, input: execution.input, executionArn: run.executionArn };
      await onLook(status, watch.asking);
    }
    if (status === 'ABORTED') await awaitRestore(backend, run, say, settings);
    return { status, ...(failure ? { failure } : {}) };
  } finally {
    watch.close();
  }
}

/** The lines a detached run leaves behind: where it runs, how to follow it, how to stop it. */
function sayDetached(backend: Backend, run: WatchedRun, say: (line: string) => void): void {
  const stage = backend.name === 'local' ? '' : ` STAGE=${backend.name}`;
  say(
    `run ${run.runId} goes on without this terminal (${backend.name === 'local' ? 'local runtime' : `stage ${backend.name}`}, execution ${run.executionArn})`,
  );
  say(`follow it: make follow CUSTOMER=${run.customer}${stage}; stop it and restore the target's settings: make stop CUSTOMER=${run.customer}${stage}`);
}

/**
 * A stopped run's report is written by the execution that restores the
 * target after the stop: wait for it to start (a stop from elsewhere starts
 * it once the deliveries in flight have ended) and to end.
 */
async function awaitRestore(backend: Backend, run: WatchedRun, say: (line: string) => void, settings: WatchSettings): Promise<void> {
  const executionArn = executionArnOf(run.stateMachineArn, restoreName(run.runId));
  const deadline = Date.now() + (backend.stack.consumerTimeoutSeconds ?? 60) * 1000 + RESTORE_START_GRACE_MS;
  while (Date.now() < deadline) {
    try {
      await untilEnded(backend, executionArn, settings);
      return;
    } catch (error) {
      if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
    }
    await sleep(settings.pollIntervalMs ?? 1000);
  }
  say(
    `run ${run.runId} was stopped outside make stop, so nothing restored the target after it: make stop CUSTOMER=${run.customer} puts its workflows and e-mail back now (or the customer's next run does)`,
  );
}
