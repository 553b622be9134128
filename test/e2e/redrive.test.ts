import { join } from 'node:path';
import { expect } from 'chai';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import { NO_OUTCOME_MESSAGE } from '../../src/ledger/report.ts';
import type { CollectionProgress } from '../../src/ledger/types.ts';
import { migrateLocally, withLocalRuntime, type MigrateRuntimeSettings } from '../../tooling/cli/migrate.ts';
import type { MigrateOptions } from '../../tooling/cli/options.ts';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { redriveRun } from '../../tooling/cli/redrive-command.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import {
  CapturedOutput,
  fullReport,
  e2eFile,
  expectReportMatchesManifest,
  FAST,
  LEGACY_DB_URL,
  seedE2eCustomer,
  STAGE,
  startTarget,
  targetRecords,
  targetSettings,
  temporaryFolder,
  tokenOf,
  E2E_TIMEOUT_MS,
} from './helpers.ts';

const ORIGINAL = { wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' };

const FILE = e2eFile(import.meta.url);

/** A leaf collection: its dead letters leave no child behind as `parent_failed`, so the healed run must match the manifest exactly. */
const DOWN = 'planboard-slots';
/** A customer whose dead letter shares this customer's queue. */
const OTHER = `${e2eFile(import.meta.url).customer}_other`;

describe('make redrive on the embedded local runtime (real bundles)', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const customer = FILE.customer;
  const folder = temporaryFolder('e2e-redrive-');
  const output = new CapturedOutput();
  let manifest: SeedManifest;
  let target: RunningStandin;

  before(async function () {
    if (STAGE) this.skip();
    manifest = await seedE2eCustomer(customer);
    // The target answers 503 to every planboard-slot call until the test heals it.
    target = await startTarget(folder.path, customer, { faults: { failPaths: [`/v1/${DOWN}`] } });
  });
  after(async () => {
    await target?.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it("dead-letters a collection the target kept refusing as transient_exhausted, and once the target heals make redrive migrates those records exactly once, only this customer's dead letters, with the target's workflows and e-mail off meanwhile and restored, and a report that matches the seed manifest", async () => {
    const options: MigrateOptions = {
      customer,
      legacyDbUrl: LEGACY_DB_URL,
      targetUrl: target.url,
      targetToken: tokenOf(customer),
      overrides: { ...FAST, maxAttempts: 1, consumers: 2, recordsPerMessage: 100 },
    };
    // Three deliveries of one try each: the third is the last and writes transient_exhausted, then SQS dead-letters the message.
    // 20 s to try every record of a delivery: cut off at 10 s on a loaded machine, the last delivery left records
    // "not tried: the delivery ran out of time" instead of their 503 (each delivery comes 30 s after the one before).
    const settings: MigrateRuntimeSettings = {
      dataDir: folder.path,
      basePort: FILE.basePort,
      reportsDir: join(folder.path, 'reports'),
      pollIntervalMs: 500,
      consumerTimeoutSeconds: 20,
      maxReceiveCount: 3,
      out: output as unknown as NodeJS.WriteStream,
    };
    const want = manifest.expected.default.entities[DOWN];

    const first = await migrateLocally(options, settings);
    expect(first.status, first.error).to.equal('SUCCEEDED');
    const down = fullReport(first).entities[DOWN];
    expect({ source: down.source, migrated: down.migrated, skipped: down.skipped, failed: down.failed }).to.deep.equal({
      source: want.source,
      migrated: 0,
      skipped: want.skipped,
      failed: want.failed + want.migrated,
    });
    // Written by the last delivery (the target's 503), not the report's stand-in line for a record that never got an outcome.
    const exhausted = down.failures.filter((failure) => failure.code === 'transient_exhausted');
    expect(exhausted).to.have.length(want.migrated);
    const otherMessages = new Set(
      exhausted.map((failure) => failure.message).filter((message) => message === NO_OUTCOME_MESSAGE || !message.startsWith('503')),
    );
    expect([...otherMessages], 'every exhausted record has the ledger entry of its last delivery').to.deep.equal([]);
    expect(Object.keys((await targetRecords(target, customer))[DOWN] ?? {})).to.have.length(0);

    await admin(target, 'PUT', '/admin/faults', { failPaths: [] });
    const since = Date.now();
    const { outcome, progress, leftBehind } = await withLocalRuntime(
      options,
      settings,
      async (backend, say) => {
        // Another customer's dead letter in the same queue: a redrive of this customer must leave it there.
        const deadLetters = backend.stack.deadLetterQueueUrls[DOWN];
        const other = JSON.stringify({ v: 1, customer: OTHER, runId: 'other-run', collection: DOWN, database: `fp_${OTHER}_north`, records: [] });
        await backend.sqs.send(
          new SendMessageCommand({
            QueueUrl: deadLetters,
            MessageBody: other,
            MessageGroupId: `fp_${OTHER}_north:0`,
            MessageDeduplicationId: `other-${since}`,
          }),
        );
        const redriven = await redriveRun(backend, options, settings, say);
        const { Messages: left = [] } = await backend.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: deadLetters, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        return {
          outcome: redriven,
          progress: await backend.runs.progress(customer, redriven.runId),
          leftBehind: left.map((message) => JSON.parse(message.Body ?? '{}').customer as string),
        };
      },
      { workflow: 'redrive' },
    );
    expect(outcome.runId).to.equal(first.runId);
    expect(output.text).to.match(new RegExp(`moved \\d+ dead-lettered message\\(s\\) back: ${DOWN} \\d+\\n`));
    expect(leftBehind, "only the other customer's dead letter is left").to.deep.equal([OTHER]);

    // The target's workflows and e-mail were off while the dead letters went to it, and are as they were after.
    const requests = ((await admin(target, 'GET', `/admin/requests?customer=${customer}&since=${since}`)).json.items as { method: string; path: string }[]).map(
      (r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`,
    );
    const sends = requests.map((r, index) => (r === `POST /v1/${DOWN}` ? index : -1)).filter((index) => index >= 0);
    expect(sends.length, 'the redriven slots reached the target').to.be.greaterThan(0);
    const switchedOff = requests.findIndex((r) => r === 'PUT /v1/settings/notifications');
    expect(
      requests.filter((r) => /^POST \/v1\/workflows\/[^/]+\/deactivate$/.test(r)),
      'both active workflows switched off',
    ).to.have.length(2);
    expect(
      requests.findLastIndex((r) => r.endsWith('/deactivate')),
      'workflows off before the first slot',
    ).to.be.lessThan(sends[0]!);
    expect(switchedOff, 'e-mail off before the first slot').to.be.within(0, sends[0]! - 1);
    expect(
      requests.findIndex((r) => r.endsWith('/activate')),
      'workflows back on after the last slot',
    ).to.be.greaterThan(sends.at(-1)!);
    const settingsAfter = await targetSettings(target, customer);
    expect(settingsAfter.workflows).to.deep.equal(ORIGINAL);
    expect(settingsAfter.emailEnabled).to.equal(true);
    expectReportMatchesManifest(fullReport(outcome), manifest);
    // targetRecords fails on any externalRef the target holds twice.
    expect(Object.keys((await targetRecords(target, customer))[DOWN] ?? {})).to.have.length(want.migrated);
    // The live counters count each record once too: a redriven record's new outcome replaced its transient_exhausted.
    for (const collection of COLLECTIONS) {
      const counters = progress[collection] as CollectionProgress;
      const expected = manifest.expected.default.entities[collection];
      expect({ migrated: counters.migrated, skipped: counters.skipped, failed: counters.failed }, `${collection} live counters`).to.deep.equal({
        migrated: expected.migrated,
        skipped: expected.skipped,
        failed: expected.failed,
      });
    }
  });
});
