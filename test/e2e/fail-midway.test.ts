import { expect } from 'chai';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import { CapturedOutput, e2eFile, fullReport, migrate, seedE2eCustomer, startTarget, targetSettings, temporaryFolder, E2E_TIMEOUT_MS } from './helpers.ts';

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

  it('stops at once when FiberConnect refuses the token mid-run: FAILED with one line, settings restored, no record failed for it', async () => {
    // The token is good for the checks and the first collections; FiberConnect then refuses it (403) for connections.
    await admin(target, 'PUT', '/admin/faults', { latencyMs: 0, failPaths: ['/v1/connections'], failStatus: 403 });
    const since = Date.now();
    try {
      const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
      expect(outcome.status).to.equal('FAILED');
      expect(outcome.rootCause).to.match(
        /^[a-z-]+ of \S+: FiberConnect refused the token of customer \S+ \(403[^)]*\): the run stops; check the customer's token/,
      );
      expect(output.text.split('\n').filter((line) => line.includes('refused the token'))).to.have.length(1);
      expect(outcome.report?.target).to.deep.equal({ workflowsRestored: true, emailRestored: true });
      const failures = fullReport(outcome).entities.connections.failures;
      expect(
        failures.filter((failure) => failure.code === 'rejected_by_target'),
        'no record failed because of the token',
      ).to.deep.equal([]);
      // A few consumers' first requests, not one per record.
      const refusedCalls = (
        (await admin(target, 'GET', `/admin/requests?since=${since}&customer=${customer}`)).json.items as { path: string; status: number }[]
      ).filter((r) => r.path.startsWith('/v1/connections') && r.status === 403);
      const connections = outcome.report!.entities.connections.source;
      expect(refusedCalls.length, `${refusedCalls.length} refused requests for ${connections} connections`)
        .to.be.at.least(1)
        .and.below(Math.min(40, connections));
      const settings = await targetSettings(target, customer);
      expect(settings.workflows).to.deep.equal({ wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' });
      expect(settings.emailEnabled).to.equal(true);
    } finally {
      await admin(target, 'PUT', '/admin/faults', { failPaths: [], failStatus: 503 });
    }
  });
});
