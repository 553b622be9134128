import { join } from 'node:path';
import { expect } from 'chai';
import { followRun, withLocalRuntime } from '../../tooling/cli/migrate.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import {
  CapturedOutput,
  CONSUMER_TIMEOUT_SECONDS,
  e2eFile,
  expectReportMatchesManifest,
  FAST,
  killCommandMidway,
  LEGACY_DB_URL,
  migrate,
  seedE2eCustomer,
  STAGE,
  startTarget,
  targetRecords,
  targetSettings,
  temporaryFolder,
  tokenOf,
  fullReport,
  E2E_TIMEOUT_MS,
} from './helpers.ts';

const FILE = e2eFile(import.meta.url);

const ORIGINAL = { wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' };
const ALL_OFF = { wfl_welcome_mail: 'INACTIVE', wfl_planning_notice: 'INACTIVE', wfl_survey_reminder: 'INACTIVE' };

describe('a chain of a killed run, a failed run and a normal run (real state machines and bundles)', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const customer = FILE.customer;
  const folder = temporaryFolder('e2e-chain-');
  const output = new CapturedOutput();
  let target: RunningStandin;
  let manifest: SeedManifest;

  before(async function () {
    // Killing the CLI stops a local run (the runtime lives in it); on a stage the execution goes on in AWS.
    if (STAGE) this.skip();
    manifest = await seedE2eCustomer(customer);
    target = await startTarget(folder.path, customer);
  });
  after(async () => {
    await target?.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('run A killed with workflows and e-mail off: the target is left with everything off', async () => {
    // Kill it in the thick of the migration: e-mail off, work orders being written, their children not yet.
    const midway = await killCommandMidway(
      FILE,
      target,
      folder.path,
      output,
      async () => {
        const counts = (await admin(target, 'GET', '/admin/counts')).json[customer] ?? {};
        return (counts['work-orders'] ?? 0) >= 100 && !(await targetSettings(target, customer)).emailEnabled;
      },
      1500,
    );
    expect(midway, 'run A got to writing records before the kill').to.equal(true);
    const settings = await targetSettings(target, customer);
    expect(settings.workflows).to.deep.equal(ALL_OFF);
    expect(settings.emailEnabled).to.equal(false);
  });

  it('run B, whose workflow calls the target refuses (403), fails before it records anything, puts e-mail back, and reports the workflows NOT restored', async () => {
    const options = { customer, legacyDbUrl: LEGACY_DB_URL, targetUrl: target.url, targetToken: tokenOf(customer), overrides: FAST };
    const runtime = {
      dataDir: folder.path,
      basePort: FILE.basePort,
      reportsDir: join(folder.path, 'reports'),
      pollIntervalMs: 500,
      consumerTimeoutSeconds: CONSUMER_TIMEOUT_SECONDS,
      out: output as unknown as NodeJS.WriteStream,
    };
    try {
      // The outage starts after the CLI's own check of the target (which lists the workflows too), before the run starts.
      const outcome = await withLocalRuntime(
        options,
        runtime,
        async (backend, say) => {
          await admin(target, 'PUT', '/admin/faults', { failPaths: ['/v1/workflows'], failStatus: 403 });
          return followRun(backend, options, runtime, say);
        },
        { workflow: 'migration' },
      );
      expect(outcome.status).to.equal('FAILED');
      // A refusal, not an outage: no retry gets past it, so the run fails at once.
      expect(outcome.error).to.match(/403|forbidden/);
      expect(outcome.report?.status).to.equal('FAILED');
      expect(outcome.report?.target).to.deep.equal({ workflowsRestored: false, emailRestored: true });
    } finally {
      await admin(target, 'PUT', '/admin/faults', { failPaths: [], failStatus: 503 });
    }
    const settings = await targetSettings(target, customer);
    expect(settings.workflows, 'what A left off is still off').to.deep.equal(ALL_OFF);
    expect(settings.emailEnabled, 'A left e-mail off; B put it back').to.equal(true);
  });

  it('run C, a normal run, ends exactly as an uninterrupted run, with the original workflows active and e-mail on, reports them restored, and no e-mail was sent', async () => {
    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    expect(outcome.report?.target).to.deep.equal({ workflowsRestored: true, emailRestored: true });
    expectReportMatchesManifest(fullReport(outcome), manifest, { rerun: true });
    // After a SIGKILL midway and a failed run: every record once (targetRecords fails on a duplicate), none lost.
    const records = await targetRecords(target, customer);
    for (const collection of ['projects', 'contractors', 'connections', 'work-orders', 'documents', 'planboard-slots'] as const) {
      expect(Object.keys(records[collection] ?? {}), collection).to.have.length(manifest.expected.default.entities[collection].migrated);
    }
    const settings = await targetSettings(target, customer);
    expect(settings.workflows).to.deep.equal(ORIGINAL);
    expect(settings.emailEnabled).to.equal(true);
    expect(settings.emailsSent).to.equal(0);
  });
});
