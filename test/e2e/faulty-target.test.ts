import { expect } from 'chai';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import {
  CapturedOutput,
  cleanTargetState,
  e2eFile,
  expectReportMatchesManifest,
  migrate,
  seedE2eCustomer,
  startTarget,
  targetRecords,
  temporaryFolder,
  fullReport,
  E2E_TIMEOUT_MS,
} from './helpers.ts';

const FILE = e2eFile(import.meta.url);

describe('a migration into a target that fails often (real state machines and bundles on the embedded runtime)', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const customer = FILE.customer;
  let manifest: SeedManifest;
  const folder = temporaryFolder('e2e-faults-');
  let target: RunningStandin;
  const output = new CapturedOutput();
  before(async () => {
    manifest = await seedE2eCustomer(customer);
    target = await startTarget(folder.path, customer, {
      faults: { errorRate: 0.05, force429Rate: 0.005, dropRate: 0.03, dropPhase: 'random', latencyMs: 0, seed: 7 },
    });
  });
  after(async () => {
    await target.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('ends with 5xx, 429 and dropped connections in the same target state as a clean run, without duplicates', async () => {
    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    expectReportMatchesManifest(fullReport(outcome), manifest);
    expect(await targetRecords(target, customer)).to.deep.equal(await cleanTargetState(FILE, customer));
    const faults = (await admin(target, 'GET', `/admin/requests?customer=${customer}`)).json.items.filter((r: { fault?: string }) => r.fault);
    const kinds = new Set(faults.map((r: { fault: string }) => r.fault));
    expect([...kinds]).to.include.members(['error', 'force_429', 'drop_after']);
  });
});
