import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { expect } from 'chai';
import { RunLockedError } from '../../src/control/errors.ts';
import { runningRuntime } from '../../tooling/cli/attach.ts';
import type { Backend } from '../../tooling/cli/backend.ts';
import { exitCode } from '../../tooling/cli/entry.ts';
import { findRootCause } from '../../tooling/cli/root-cause.ts';
import { stopCommand, untilEnded } from '../../tooling/cli/stop-command.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { CapturedOutput, e2eFile, FAST, fullReport, migrate, seedE2eCustomer, STAGE, startTarget, targetSettings, temporaryFolder } from './helpers.ts';

const FILE = e2eFile(import.meta.url);
const ORIGINAL = { wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' };

/**
 * The backend of the runtime the first migration runs (announced in its data directory), once its run holds the customer's
 * lock and has switched the target's e-mail off. Bounded by the first migration, not by a count of looks: on a loaded host
 * (the suite beside `make bench`) 120 s of looks ran out while the first run was still starting.
 */
async function whileRunning(dataDir: string, customer: string, target: RunningStandin, ended: () => boolean): Promise<Backend> {
  while (!ended()) {
    const running = runningRuntime(dataDir);
    const found = running ? await running.backend.locks.holder({ scope: 'customer', name: customer }) : undefined;
    if (running && found?.running && !(await targetSettings(target, customer)).emailEnabled) return running.backend;
    await sleep(200);
  }
  throw new Error('the first migration ended before it was seen holding the lock with the target switched off');
}

describe('one run per customer on the embedded runtime (real state machines and bundles)', function () {
  this.timeout(600_000);
  const customer = FILE.customer;
  const folder = temporaryFolder('e2e-lock-');
  const output = new CapturedOutput();
  let target: RunningStandin;

  before(async function () {
    // The second start and the stop reach the first run through its local runtime; a stage has its own e2e path.
    if (STAGE) this.skip();
    await seedE2eCustomer(customer, '0.1');
    target = await startTarget(folder.path, customer);
  });
  after(async () => {
    await target?.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('refuses a second migration of the customer while the first runs, with one line naming it (exit 2); its configure refuses a start that skipped that look; make stop then stops the first and restores the target', async () => {
    // Slow enough to still run while the second start and the stop happen.
    const first = migrate(FILE, target, folder.path, { targetRps: 20 }, output);
    let ended = false;
    void first.finally(() => (ended = true)).catch(() => undefined);
    const backend = await whileRunning(folder.path, customer, target, () => ended);
    const { holder } = (await backend.locks.holder({ scope: 'customer', name: customer }))!;

    const refused = await migrate(FILE, target, folder.path, {}, new CapturedOutput()).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refused).to.be.instanceOf(RunLockedError);
    expect(refused!.message).to.match(
      new RegExp(
        `^customer ${customer}: run ${holder.runId} \\(migration of ${customer}, started \\S+\\) is still going; a second run is refused, nothing was changed: wait for it to end, or stop it with make stop CUSTOMER=${customer}$`,
      ),
    );
    expect(exitCode({ error: refused })).to.equal(2);

    // As a plan, or a second laptop at the same moment, would start it: past the CLI's look, into configure.
    const { executionArn } = await backend.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: backend.stack.stateMachineArn,
        name: 'second-start',
        input: JSON.stringify({ customer, runId: 'second-start', options: FAST }),
      }),
    );
    expect(await untilEnded(backend, executionArn!, { pollIntervalMs: 250 })).to.equal('FAILED');
    const { error, cause } = await backend.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect((await findRootCause({ error, cause })).error, String(cause)).to.equal('RunLockedError');
    expect((await backend.locks.holder({ scope: 'customer', name: customer }))?.holder.runId, 'the first run keeps its lock').to.equal(holder.runId);
    expect((await targetSettings(target, customer)).emailEnabled, 'the refused run restored nothing under the running one').to.equal(false);

    const stopped = await stopCommand(customer, backend, 'the e2e runtime', (line) => output.write(`${line}\n`), { pollIntervalMs: 250 });
    expect(stopped).to.deep.equal({ runId: holder.runId, status: 'SUCCEEDED' });
    expect(await backend.locks.holder({ scope: 'customer', name: customer }), 'the stopped run gave its lock back').to.equal(undefined);
    const outcome = await first;
    expect(outcome.status).to.equal('ABORTED');
    expect(fullReport(outcome)).to.deep.include({ status: 'FAILED', target: { workflowsRestored: true, emailRestored: true } });
    expect(fullReport(outcome).error).to.match(/^RunStopped: stopped by make stop/);
    const settings = await targetSettings(target, customer);
    expect(settings.workflows).to.deep.equal(ORIGINAL);
    expect(settings.emailEnabled).to.equal(true);
    expect(settings.emailsSent, 'no e-mail went out while the workflows were off').to.equal(0);
  });
});
