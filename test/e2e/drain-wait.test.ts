import { expect } from 'chai';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { CapturedOutput, expectReportMatchesManifest, migrate, scenarioCustomer, seedE2eCustomer, startTarget, temporaryFolder } from './helpers.ts';

describe('drain waits on the embedded local runtime (real state machines and bundles)', function () {
  this.timeout(900_000);
  const customer = scenarioCustomer('');
  const folder = temporaryFolder('e2e-drain-');
  const output = new CapturedOutput();
  let manifest: SeedManifest;
  let target: RunningStandin;

  before(async () => {
    manifest = await seedE2eCustomer(customer);
    target = await startTarget(folder.path);
  });
  after(async () => {
    await target.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('lets a collection drain for many times drainTimeoutSeconds while its queue keeps falling, and ends with the exact report', async () => {
    const overrides = { targetRps: 80, drainTimeoutSeconds: 3, drainPollSeconds: 1 };
    // At the customer's 80 requests/s the largest collection needs at least three drain timeouts to
    // drain; a wait bounded by a number of polls (3 s / 1 s) failed it with DrainTimeout.
    const largest = Math.max(...Object.values(manifest.expected.default.entities).map((entity) => entity.migrated));
    expect(largest / overrides.targetRps, 'seconds the largest collection needs at least').to.be.above(3 * overrides.drainTimeoutSeconds);
    const outcome = await migrate(target, folder.path, overrides, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    expectReportMatchesManifest(outcome.report!, manifest);
  });
});
