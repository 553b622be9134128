import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describeHolder, type LockHolder, type RunKind } from '../../src/control/index.ts';
import type { RunPointer } from '../../src/ledger/index.ts';
import { LIVE_RUN_CACHE_MS } from '../../src/pipeline/index.ts';
import { queueDepth } from '../../src/queue/index.ts';
import type { Backend, StackDescription } from './backend.ts';

/** A stage whose stack description does not say the consumer's timeout has the Terraform default. */
const DEFAULT_CONSUMER_TIMEOUT_SECONDS = 60;
/** The error a stopped run is reported with; its Cause says who stopped it. */
export const STOP_ERROR = 'RunStopped';
const STOP_CAUSE = 'stopped by make stop (or Ctrl-C, stop): its execution was stopped and the target restored';

/** What {@link stopRun} did. */
export interface StoppedRun {
  holder: LockHolder;
  /** The run's record says the target's workflows and e-mail are back as they were (its restore execution ends FAILED either way: it reports the stopped run). */
  restored: boolean;
}

/** Knobs of a stop; tests shorten the polls. */
export interface StopSettings {
  pollIntervalMs?: number;
}

/**
 * `make stop CUSTOMER=x` (and Ctrl-C, stop): stops the customer's running
 * run and puts the target back as it was. In order: the run is marked
 * stopped (the consumers drop its messages still queued), its execution is
 * stopped (with its child executions), the deliveries in flight are given
 * the time to end (every call of a consumer ends by its timeout), then a
 * second execution of the same run restores the target's workflows and
 * e-mail and writes the report (FAILED, `RunStopped`), which gives the
 * run's locks back. A run whose execution already ended without closing
 * (killed, stopped in the console) is restored the same way. The same on
 * every runtime.
 * @returns undefined when the customer has no run going on (nothing to stop).
 */
export async function stopRun(backend: Backend, customer: string, say: (line: string) => void, settings: StopSettings = {}): Promise<StoppedRun | undefined> {
  const found = await backend.locks.holder({ scope: 'customer', name: customer });
  const run = found ? await backend.runs.getRun(customer, found.holder.runId) : undefined;
  if (!found || (!found.running && run?.status !== 'RUNNING')) {
    say(`customer ${customer} has no run going on on ${backend.name}: nothing to stop`);
    return undefined;
  }
  const { holder } = found;
  const marked = Date.now();
  await backend.runs.markStopped(customer, pointerOf(holder.kind), run?.redriveOf ?? holder.runId);
  if (found.running) {
    say(`stopping ${describeHolder(holder)}: its execution stops, then the target's workflows and e-mail are restored`);
    await backend.sfn.send(new StopExecutionCommand({ executionArn: holder.executionArn, error: STOP_ERROR, cause: STOP_CAUSE }));
    await untilEnded(backend, holder.executionArn, settings);
  } else {
    say(
      `${describeHolder(holder)} ended without closing (killed, or stopped in the console): restoring the target's workflows and e-mail it may have left off`,
    );
  }
  await untilDeliveriesEnded(backend, marked, settings);
  const machineArn = stateMachineOf(backend.stack, holder.kind);
  const options = { targetRps: Number(run?.options.targetRps ?? 1), dryRun: run?.dryRun === true };
  const stopped = { customer, runId: holder.runId, options, ...(run?.redriveOf ? { redriveOf: run.redriveOf } : {}) };
  const input = { customer, runId: holder.runId, restoreAfterStop: { run: stopped, reason: STOP_CAUSE } };
  const { executionArn } = await backend.sfn.send(
    new StartExecutionCommand({ stateMachineArn: machineArn, name: restoreName(holder.runId), input: JSON.stringify(input) }),
  );
  say(`run ${holder.runId} stopped; restoring the target's workflows and e-mail (execution ${restoreName(holder.runId)})`);
  await untilEnded(backend, executionArn!, settings);
  const closed = await backend.runs.getRun(customer, holder.runId);
  return { holder, restored: closed?.target?.workflowsRestored === true && closed.target.emailRestored === true };
}

/** The name of the execution that restores a stopped run: the run's own, so a stop repeated finds the one already started. */
export function restoreName(runId: string): string {
  return `${runId}-restore`;
}

/** The ARN an execution named `name` of `stateMachineArn` has (Step Functions' standard workflows, and the local runtime). */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The state machine that runs a kind of run: the restore after a stop goes through the same one. */
export function stateMachineOf(stack: StackDescription, kind: RunKind): string {
  if (kind === 'rollback') return stack.rollbackStateMachineArn;
  if (kind === 'redrive') return stack.redriveStateMachineArn;
  return stack.stateMachineArn;
}

/** The latest-run pointer whose stop mark makes the consumers drop a kind of run's messages (a redrive's are its redriven run's). */
function pointerOf(kind: RunKind): RunPointer {
  if (kind === 'rollback') return 'rollback';
  return kind === 'dry-run' ? 'dry-run' : 'run';
}

/** Polls an execution until it is no longer RUNNING; answers how it ended. */
export async function untilEnded(backend: Backend, executionArn: string, settings: StopSettings = {}): Promise<string> {
  for (;;) {
    const { status } = await backend.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status ?? 'UNKNOWN';
    await sleep(settings.pollIntervalMs ?? 1000);
  }
}

/**
 * Waits until no delivery of the stopped run can still reach the target:
 * at least as long as a consumer trusts the live run it read, then until no
 * message is in flight on any queue, or at most the consumer's timeout (by
 * which every call of a delivery has ended). The queues are shared with
 * other customers, whose deliveries may keep them in flight: the timeout bounds the wait.
 */
async function untilDeliveriesEnded(backend: Backend, marked: number, settings: StopSettings): Promise<void> {
  const timeoutMs = (backend.stack.consumerTimeoutSeconds ?? DEFAULT_CONSUMER_TIMEOUT_SECONDS) * 1000;
  const earliest = marked + LIVE_RUN_CACHE_MS;
  while (Date.now() < marked + LIVE_RUN_CACHE_MS + timeoutMs) {
    if (Date.now() >= earliest) {
      const depths = await Promise.all(Object.values(backend.stack.queueUrls).map((url) => queueDepth(backend.sqs, url)));
      if (depths.every((depth) => depth.inFlight === 0)) return;
    }
    await sleep(Math.min(settings.pollIntervalMs ?? 1000, 1000));
  }
}

/**
 * `make stop CUSTOMER=x [STAGE=y]`: {@link stopRun} on the stage, or on the
 * local runtime that another command (`make migrate` in another terminal)
 * runs for this target. Nothing going on is no error: there is nothing to stop.
 */
export async function stopCommand(
  customer: string,
  backend: Backend | undefined,
  where: string,
  say: (line: string) => void,
  settings: StopSettings = {},
): Promise<{ runId: string; status: string }> {
  if (!backend) {
    say(`no local runtime runs for ${where}: customer ${customer} has no run going on, nothing to stop`);
    return { runId: '', status: 'SUCCEEDED' };
  }
  const stopped = await stopRun(backend, customer, say, settings);
  if (!stopped) return { runId: '', status: 'SUCCEEDED' };
  say(
    stopped.restored
      ? `run ${stopped.holder.runId} stopped, the target restored and its report written (make report CUSTOMER=${customer})`
      : `run ${stopped.holder.runId} stopped, but the target's workflows or e-mail could not all be restored (its report says which): the next run of customer ${customer} puts them back`,
  );
  return { runId: stopped.holder.runId, status: stopped.restored ? 'SUCCEEDED' : 'FAILED' };
}
