import { InvalidInputError } from '../../src/domain/index.ts';
import type { Backend } from './backend.ts';
import type { MigrateRuntimeSettings, MigrationOutcome } from './migrate.ts';
import { watchRun } from './migrate.ts';
import { watchRedrive } from './redrive-command.ts';
import { watchRollback } from './rollback.ts';
import { stateMachineOf } from './stop-command.ts';

/**
 * `make follow CUSTOMER=x [STAGE=y]`: follows the customer's running run
 * (one started elsewhere, or left by Ctrl-C, detach) with the progress its
 * kind shows, to its report; Ctrl-C asks again whether to stop or detach.
 * @throws InvalidInputError when the customer has no run going on.
 */
export async function followCommand(
  customer: string,
  backend: Backend | undefined,
  where: string,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
): Promise<MigrationOutcome> {
  const found = backend ? await backend.locks.holder({ scope: 'customer', name: customer }) : undefined;
  if (!backend || !found?.running)
    throw new InvalidInputError(
      `customer ${customer} has no run going on on ${where}: nothing to follow (make report CUSTOMER=${customer} shows the latest report)`,
      { input: 'CUSTOMER', issue: 'no run' },
    );
  const { holder } = found;
  say(`following run ${holder.runId} (${holder.kind} of ${customer}, started ${holder.startedAt})`);
  const run = { customer, runId: holder.runId, executionArn: holder.executionArn, stateMachineArn: stateMachineOf(backend.stack, holder.kind) };
  if (holder.kind === 'rollback') return watchRollback(backend, run, settings, say);
  if (holder.kind === 'redrive') return watchRedrive(backend, run, settings, say);
  return watchRun(backend, run, holder.kind === 'dry-run', settings, say);
}
