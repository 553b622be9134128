import { expect } from 'chai';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { CapturedOutput, e2eFile, migrate, seedE2eCustomer, startTarget, targetSettings, temporaryFolder, E2E_TIMEOUT_MS } from './helpers.ts';

const FILE = e2eFile(import.meta.url);

describe('a migration that fails midway (real state machines and bundles on the embedded runtime)', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const customer = FILE.customer;
  const folder = temporaryFolder('e2e-fail-');
  let target: RunningStandin;
  const output = new CapturedOutput();
  before(async () => {
    await seedE2eCustomer(customer, '0.05');
    // Every answer takes 3 s and the consumers give up on a request after 1 s: no outcome is written and
    // the queue does not fall, so the drain wait sees no progress for the 2 s the run allows.
    target = await startTarget(folder.path, customer, { faults: { latencyMs: 3000 } });
  });
  after(async () => {
    await target.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('still restores workflows and e-mail, reports the failure, and ends FAILED', async () => {
    const outcome = await migrate(FILE, target, folder.path, { drainTimeoutSeconds: 2, drainPollSeconds: 1, requestTimeoutSeconds: 1 }, output, customer);
    expect(outcome.status).to.equal('FAILED');
    expect(outcome.error).to.match(/DrainTimeout|States.TaskFailed/);
    expect(outcome.report?.status).to.equal('FAILED');
    expect(outcome.report?.target).to.deep.equal({ workflowsRestored: true, emailRestored: true });
    const settings = await targetSettings(target, customer);
    expect(settings.workflows).to.deep.equal({ wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' });
    expect(settings.emailEnabled).to.equal(true);
  });
});
