import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { localBackend } from '../../tooling/cli/backend.ts';
import { redriveAndReport } from '../../tooling/cli/redrive-command.ts';
import { LocalRuntime } from '../../tooling/local/runtime.ts';
import { encodeMessageBody } from '../../src/pipeline/message-packing.ts';
import type { QueueMessage } from '../../src/pipeline/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import { BASE_PORT, CapturedOutput, LEGACY_DB_URL, STAGE, startTarget, temporaryFolder, tokenOf } from './helpers.ts';

describe('make redrive on the embedded local runtime (real bundles)', function () {
  this.timeout(300_000);
  const customer = 'e2eredrive';
  const folder = temporaryFolder('e2e-redrive-');
  let target: RunningStandin;
  let runtime: LocalRuntime;

  before(async function () {
    if (STAGE) this.skip();
    target = await startTarget(folder.path);
    runtime = await LocalRuntime.start({
      dataDir: folder.path,
      basePort: BASE_PORT + 10,
      legacyDbUrl: LEGACY_DB_URL,
      targetUrl: target.url,
      targetTokens: { [customer]: tokenOf(customer) },
      consumerTimeoutSeconds: 10,
    });
  });
  after(async () => {
    await runtime?.close();
    await target?.close();
    folder.remove();
  });

  it('moves a dead-lettered message back, the consumer migrates its record, and the refreshed report shows it', async () => {
    const backend = localBackend(runtime);
    const runId = 'run-redrive-1';
    await backend.runs.startRun({ customer, runId, startedAt: new Date().toISOString(), status: 'RUNNING', options: {} });
    await backend.runs.recordRange(customer, runId, 'contractors', 'fp_redrive_north#r0#0', { source: 1, alreadyMigrated: 0, queued: 1 });
    await backend.runs.updateRun(customer, runId, { status: 'SUCCEEDED', finishedAt: new Date().toISOString(), target: { workflowsRestored: true, emailRestored: true } });
    // What a consumer's last failed delivery leaves behind: the message in the dead-letter queue.
    const message: QueueMessage = {
      v: 1, customer, runId, collection: 'contractors', database: 'fp_redrive_north', migrateCompletedProjects: false,
      maxAttempts: 3, targetRps: 50, requestTimeoutSeconds: 10, settings: {},
      records: [{ externalRef: 'fp_redrive_north:contractors:7', checksum: 'c', row: { id: 7, name: 'Glasvezel Noord B.V.', kvk_number: '12345678', email: 'info@gvn.example', phone: null, updated_at: '2024-05-01 10:00:00' } }],
    };
    await backend.sqs.send(new SendMessageCommand({ QueueUrl: backend.stack.deadLetterQueueUrls.contractors, MessageBody: encodeMessageBody(message), MessageGroupId: 'fp_redrive_north:0', MessageDeduplicationId: 'dead-1' }));

    const output = new CapturedOutput();
    const outcome = await redriveAndReport(backend, customer, { out: output as unknown as NodeJS.WriteStream, reportsDir: folder.path, pollIntervalMs: 500, drainTimeoutSeconds: 120 });
    expect(output.text).to.include('moved 1 dead-lettered message(s) back: contractors 1');
    expect(outcome.report?.entities.contractors).to.include({ source: 1, migrated: 1, failed: 0 });
    const state = (await admin(target, 'GET', `/admin/state?customer=${customer}`)).json.customers[customer];
    expect(state.resources.contractors.map((c: { externalRef: string }) => c.externalRef)).to.deep.equal(['fp_redrive_north:contractors:7']);
  });
});
