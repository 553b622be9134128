import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import {
  CapturedOutput,
  e2eFile,
  expectReportMatchesManifest,
  migrate,
  seedE2eCustomer,
  startTarget,
  targetRecords,
  targetSettings,
  temporaryFolder,
  fullReport,
  E2E_TIMEOUT_MS,
} from './helpers.ts';

const FILE = e2eFile(import.meta.url);

/** Codes only a call to the target can give: a dry run cannot know them (and the seed plants none). */
const CALL_CODES = ['rejected_by_target', 'transient_exhausted', 'target_changed'];
const ORIGINAL_WORKFLOWS = { wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' };

describe('a dry run of the seed, then a real run (real state machines and bundles on the embedded runtime)', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const customer = FILE.customer;
  const folder = temporaryFolder('e2e-dry-');
  const output = new CapturedOutput();
  let manifest: SeedManifest;
  let target: RunningStandin;
  let dryStarted = 0;
  let dryMs = 0;
  let dryRunMs = 0;

  before(async () => {
    manifest = await seedE2eCustomer(customer, '0.05');
    target = await startTarget(folder.path, customer);
  });
  after(async () => {
    await target?.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('writes the whole report marked dryRun: true, equal to the seed manifest for every code known before a call', async () => {
    const planted = COLLECTIONS.flatMap((collection) => manifest.expected.default.entities[collection].failures.map((failure) => failure.code));
    expect(
      planted.filter((code) => CALL_CODES.includes(code)),
      'the seed plants no code that needs a call',
    ).to.deep.equal([]);
    dryStarted = Date.now();
    const outcome = await migrate(FILE, target, folder.path, { dryRun: true }, output, customer);
    dryMs = Date.now() - dryStarted;
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    dryRunMs = outcome.report!.durationMs;
    expectReportMatchesManifest(fullReport(outcome), manifest);
    const json = JSON.parse(readFileSync(outcome.reportFiles!.json, 'utf8')) as { dryRun?: boolean };
    expect(json.dryRun).to.equal(true);
    expect(readFileSync(outcome.reportFiles!.html, 'utf8')).to.contain('id="dry-run"');
    expect(output.text).to.contain('DRY RUN').and.to.contain(`dry run ${outcome.runId} SUCCEEDED`);
  });

  it('sends FiberConnect no POST, PUT, PATCH or DELETE: nothing created, workflows and e-mail setting untouched', async () => {
    const requests = (await admin(target, 'GET', `/admin/requests?since=${dryStarted}&customer=${customer}`)).json.items as { method: string; path: string }[];
    expect(requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`)).to.deep.equal([]);
    const records = await targetRecords(target, customer);
    for (const [collection, items] of Object.entries(records)) expect(Object.keys(items), collection).to.deep.equal([]);
    const settings = await targetSettings(target, customer);
    expect(settings.workflows).to.deep.equal(ORIGINAL_WORKFLOWS);
    expect(settings.emailEnabled).to.equal(true);
  });

  it('leaves the ledger as it was: the real run afterwards gives exactly the first-run report, nothing already migrated', async () => {
    const started = Date.now();
    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    const realMs = Date.now() - started;
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    expect(outcome.report).not.to.have.property('dryRun');
    expectReportMatchesManifest(fullReport(outcome), manifest);
    for (const collection of COLLECTIONS) expect(outcome.report!.entities[collection].alreadyMigrated, collection).to.equal(0);
    expect((await targetSettings(target, customer)).workflows).to.deep.equal(ORIGINAL_WORKFLOWS);
    // The measurement the dry run's cost is judged by (printed, never asserted: no timed tests).
    const seconds = (ms: number): string => (ms / 1000).toFixed(1);
    console.log(
      `      dry run ${seconds(dryRunMs)} s (${seconds(dryMs)} s with the runtime's start), real run ${seconds(outcome.report!.durationMs)} s (${seconds(realMs)} s): same seed, same session`,
    );
  });
});
