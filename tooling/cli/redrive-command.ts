import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { InvalidInputError, MigrationError } from '../../src/domain/errors.ts';
import { queueDepth } from '../../src/queue/drain.ts';
import type { Backend } from './backend.ts';
import { showLatestReport } from './report-command.ts';
import type { MigrateRuntimeSettings, MigrationOutcome } from './migrate.ts';

/** A Lambda invocation through the Lambda API: FunctionError becomes an exception. */
async function invoke<T>(backend: Backend, functionName: string, payload: unknown): Promise<T> {
  const result = await backend.lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
  const body = result.Payload ? JSON.parse(Buffer.from(result.Payload).toString('utf8')) : undefined;
  if (result.FunctionError) throw new MigrationError(`${functionName} failed: ${body?.errorType}: ${body?.errorMessage}`, { functionName });
  return body as T;
}

/** Waits until every queue is drained twice in a row, at most `timeoutSeconds`. */
async function waitForDrain(backend: Backend, timeoutSeconds: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let drainedInARow = 0;
  while (drainedInARow < 2) {
    if (Date.now() > deadline) throw new MigrationError(`the queues did not drain within ${timeoutSeconds} s`, { timeoutSeconds });
    await sleep(pollMs);
    const depths = await Promise.all(Object.values(backend.stack.queueUrls).map((url) => queueDepth(backend.sqs, url)));
    drainedInARow = depths.every((depth) => depth.drained) ? drainedInARow + 1 : 0;
  }
}

/**
 * `make redrive CUSTOMER=x`: moves dead-lettered messages back to their
 * queues (the redrive Lambda), waits until the consumers have worked them
 * off, then rebuilds the latest run's report so it shows what the redrive
 * achieved. Messages of an older run are dropped by the consumers as stale.
 */
export async function redriveAndReport(
  backend: Backend,
  customer: string,
  settings: MigrateRuntimeSettings & { drainTimeoutSeconds?: number } = {},
): Promise<MigrationOutcome> {
  const out = settings.out ?? process.stdout;
  const runId = await backend.runs.latestRunId(customer);
  if (!runId) throw new InvalidInputError(`customer ${customer} has no run on ${backend.name} yet: nothing to redrive`, { input: 'CUSTOMER', issue: customer });
  const { moved } = await invoke<{ moved: Record<string, number> }>(backend, backend.stack.redriveFunctionName, {});
  const total = Object.values(moved).reduce((sum, n) => sum + n, 0);
  out.write(
    `moved ${total} dead-lettered message(s) back: ${
      Object.entries(moved)
        .filter(([, n]) => n > 0)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ') || 'none'
    }\n`,
  );
  if (total > 0) {
    await waitForDrain(backend, settings.drainTimeoutSeconds ?? 900, settings.pollIntervalMs ?? 2000);
    const run = await backend.runs.getRun(customer, runId);
    await invoke(backend, backend.stack.reportFunctionName, {
      customer,
      runId,
      status: run?.status === 'FAILED' ? 'FAILED' : 'SUCCEEDED',
      refresh: true,
    });
  }
  return showLatestReport(backend, customer, settings);
}
