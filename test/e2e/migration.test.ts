import { join } from 'node:path';
import { expect } from 'chai';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { MigrationOutcome } from '../../tooling/cli/migrate.ts';
import { METRICS_LOG_FILE } from '../../tooling/local/constants.ts';
import { LOCAL_PREFIX } from '../../tooling/local/runtime.ts';
import { readMetricsLog, type EmfDocument } from '../../tooling/local/metrics-log.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import {
  CapturedOutput,
  fullReport,
  cleanTargetState,
  e2eFile,
  rememberCleanState,
  expectReportMatchesManifest,
  migrate,
  seedE2eCustomer,
  startTargetProcess,
  targetRecords,
  targetSettings,
  temporaryFolder,
  E2E_TIMEOUT_MS,
  FAST,
  STAGE,
} from './helpers.ts';
import { busiestSecond } from '../../tooling/standin/request-timing.ts';

const FILE = e2eFile(import.meta.url);

const WRITES = /^(POST|PUT|PATCH) \/v1\/(projects|connections|contractors|work-orders|planboard-slots)/;

describe('the whole migration workflow on the embedded local runtime (real state machines and bundles): a first run and a re-run', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const customer = FILE.customer;
  let manifest: SeedManifest;
  const folder = temporaryFolder('e2e-clean-');
  let target: RunningStandin;
  const output = new CapturedOutput();
  const TARGET_RPS = 20;
  /** The first run, whose metrics the local runtime wrote to its data folder. */
  let first: MigrationOutcome | undefined;

  before(async () => {
    manifest = await seedE2eCustomer(customer, '0.5');
    target = await startTargetProcess(folder.path, customer);
  });
  after(async () => {
    await target.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('migrates with exactly the report the seed manifest predicts, each record once in the target, within TARGET_RPS in every second, though its largest collection drains for more than one and a half times drainTimeoutSeconds', async () => {
    const started = Date.now();
    // Waits are bounded by lack of progress, never by the size of the work: at TARGET_RPS the largest collection
    // needs more than one and a half drain timeouts to drain, which a wait bounded by a number of polls failed.
    // 30 s without progress, not 10: at load 20 on 2 cores, consumers starting cold made no progress for 10 s.
    const overrides = { targetRps: TARGET_RPS, drainTimeoutSeconds: 30, drainPollSeconds: 1 };
    const largest = Math.max(...Object.values(manifest.expected.default.entities).map((entity) => entity.migrated));
    expect(largest / TARGET_RPS, 'seconds the largest collection needs at least').to.be.above(1.5 * overrides.drainTimeoutSeconds);
    const outcome = await migrate(FILE, target, folder.path, overrides, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    first = outcome;
    expectReportMatchesManifest(fullReport(outcome), manifest);
    const reference = await targetRecords(target, customer);
    rememberCleanState(customer, reference);
    for (const collection of ['projects', 'contractors', 'connections', 'work-orders', 'planboard-slots'] as const) {
      expect(Object.keys(reference[collection] ?? {}), collection).to.have.length(manifest.expected.default.entities[collection].migrated);
    }
    expect(Object.keys(reference.documents ?? {})).to.have.length(manifest.expected.default.entities.documents.migrated);
    const requests = (await admin(target, 'GET', `/admin/requests?since=${started}&customer=${customer}`)).json.items as {
      ts: number;
      method: string;
      path: string;
    }[];
    const writes = requests.filter((r) => WRITES.test(`${r.method} ${r.path}`) || /\/documents\//.test(r.path));
    expect(writes.length).to.be.greaterThan(1000);
    expect(busiestSecond(requests.map((r) => r.ts)), 'requests in the busiest second').to.be.at.most(TARGET_RPS);
  });

  it("writes the metrics a stage's dashboard shows as EMF lines in the runtime's folder: records migrated, failed and skipped per collection as the report counts them, requests, the pace in force, queue depths", async function () {
    // On a stage they are in CloudWatch; locally in metrics.jsonl.
    if (STAGE) this.skip();
    expect(first, 'the first run of this file').to.not.equal(undefined);
    const documents = await readMetricsLog(join(folder.path, METRICS_LOG_FILE));
    for (const document of documents) {
      expect(document._aws.CloudWatchMetrics[0]!.Namespace).to.equal(LOCAL_PREFIX);
      expect(document._aws.CloudWatchMetrics[0]!.Dimensions.flat(), 'the run id is metadata, never a dimension').to.not.include('runId');
    }
    const records = documents.filter((document) => document.runId === first!.runId && document.customer === customer);
    const sum = (of: EmfDocument[], name: string) => of.reduce((total, document) => total + Number(document[name] ?? 0), 0);
    const report = fullReport(first!);
    for (const collection of COLLECTIONS) {
      const ofCollection = records.filter((document) => document.collection === collection);
      const counted = {
        migrated: sum(ofCollection, 'RecordsMigrated'),
        failed: sum(ofCollection, 'RecordsFailed'),
        skipped: sum(ofCollection, 'RecordsSkipped'),
      };
      const { migrated, failed, skipped } = report.entities[collection];
      expect(counted, collection).to.deep.equal({ migrated, failed, skipped });
    }
    const requests = documents.filter((document) => document.customer === customer && document.TargetRequests !== undefined);
    expect(sum(requests, 'TargetRequests'), 'at least one request per migrated record').to.be.at.least(sum(records, 'RecordsMigrated'));
    expect(sum(requests, 'TargetThrottled'), 'the stand-in sets no rate limit here').to.equal(0);
    const paces = (name: string) => [
      ...new Set(documents.filter((document) => document.customer === customer && document[name] !== undefined).map((document) => document[name])),
    ];
    expect(paces('TargetRateLimit'), 'the target rate in force').to.deep.equal([TARGET_RPS]);
    expect(paces('SourceRateLimit'), 'the source rate in force').to.deep.equal([FAST.sourceRps]);
    expect(
      documents.filter((document) => document.QueueMessages !== undefined && document.service === 'drain-check'),
      'queue depths at the drain checks',
    ).to.not.deep.equal([]);
  });

  it('restores the workflows and e-mail setting it switched off, and no migrated work order sent an e-mail', async () => {
    const settings = await targetSettings(target, customer);
    expect(settings.workflows).to.deep.equal({ wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' });
    expect(settings.emailEnabled).to.equal(true);
    expect(settings.emailsSent).to.equal(0);
  });

  it('applies the work-order updates: statuses other than OPEN arrived through the PATCH pass', async () => {
    const statuses = new Set(Object.values((await targetRecords(target, customer))['work-orders'] ?? {}));
    expect([...statuses]).to.include.members(['DONE', 'PLANNED']);
  });

  it('creates nothing on a second run and reports every record as already migrated', async () => {
    const started = Date.now();
    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    expectReportMatchesManifest(fullReport(outcome), manifest, { rerun: true });
    for (const [collection, entity] of Object.entries(outcome.report!.entities)) expect(entity.migrated, collection).to.equal(0);
    const requests = (await admin(target, 'GET', `/admin/requests?since=${started}&customer=${customer}`)).json.items as {
      method: string;
      path: string;
      status: number;
    }[];
    const created = requests.filter((r) => WRITES.test(`${r.method} ${r.path}`) && r.status >= 200 && r.status < 300);
    expect(created).to.deep.equal([]);
    expect(await targetRecords(target, customer)).to.deep.equal(await cleanTargetState(FILE, customer));
  });
});
