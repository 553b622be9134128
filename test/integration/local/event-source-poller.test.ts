import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { LocalEmulators } from '../../../tooling/local/emulators.ts';
import { LambdaEndpoint } from '../../../tooling/local/lambda-endpoint.ts';
import { SqsEventSourcePoller } from '../../../tooling/local/event-source-poller.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import type { EventSourceMapping, PollerLogger } from '../../../tooling/local/types.ts';
import { fixtureBundle, freePort, maxOverlap, tempDir, waitFor } from './helpers.ts';

interface RecordedBatch {
  start: number;
  end: number;
  records: SQSRecord[];
}

const quiet: PollerLogger = { warn: () => undefined, error: () => undefined };

describe('SqsEventSourcePoller', () => {
  let emulators: LocalEmulators;
  let lambda: LambdaEndpoint;
  let sqs: SQSClient;
  let dir: string;
  let poller: SqsEventSourcePoller | undefined;
  let queueCount = 0;

  const recordFile = (functionName: string): string => join(dir, `${functionName}.jsonl`);
  // The functions append a line per batch while the test reads: a line without its newline yet is still being written, and is left for the next look.
  const batches = (functionName: string): RecordedBatch[] =>
    existsSync(recordFile(functionName))
      ? readFileSync(recordFile(functionName), 'utf8')
          .split('\n')
          .slice(0, -1)
          .map((line) => JSON.parse(line) as RecordedBatch)
      : [];
  const records = (functionName: string): SQSRecord[] => batches(functionName).flatMap((batch) => batch.records);

  async function createQueue(fifo: boolean, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string; name: string }> {
    queueCount += 1;
    const name = `q${queueCount}${fifo ? '.fifo' : ''}`;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '5', ...(fifo ? { FifoQueue: 'true' } : {}), ...attributes } }),
    );
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl ?? '', arn: Attributes?.QueueArn ?? '', name };
  }

  async function send(queueUrl: string, bodies: string[], group?: (index: number) => string): Promise<void> {
    for (let start = 0; start < bodies.length; start += 10) {
      const entries = bodies.slice(start, start + 10).map((body, offset) => ({
        Id: String(offset),
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
        ...(group ? { MessageGroupId: group(start + offset), MessageDeduplicationId: `${body}-${start + offset}` } : {}),
      }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    }
  }

  function startPoller(mappings: EventSourceMapping[]): Promise<void> {
    poller = new SqsEventSourcePoller({ sqsEndpoint: emulators.endpoints.sqs, invoker: lambda, mappings, logger: quiet, waitTimeSeconds: 1 });
    return poller.start();
  }

  before(async () => {
    dir = tempDir('poller');
    emulators = await LocalEmulators.start({ dataDir: join(dir, 'state'), dynalitePort: await freePort(), fauxqsPort: await freePort() });
    const recorder = (name: string, sleepMs: number) => ({
      bundlePath: fixtureBundle('recorder'),
      timeoutSeconds: 1,
      environment: { RECORD_FILE: recordFile(name), SLEEP_MS: String(sleepMs) },
    });
    lambda = new LambdaEndpoint({
      port: 0,
      functions: { recorder: recorder('recorder', 0), slow: recorder('slow', 100), dlq: recorder('dlq', 0), batcher: recorder('batcher', 0) },
    });
    await lambda.start();
    sqs = new SQSClient({ endpoint: emulators.endpoints.sqs, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS });
  });

  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });

  after(async () => {
    await lambda.close();
    await emulators.close();
  });

  it('deletes the succeeded messages of a batch and leaves exactly the reported batch item failures on the queue', async () => {
    const queue = await createQueue(false);
    await send(queue.url, ['ok-1', 'fail-1', 'ok-2', 'ok-3', 'fail-2', 'ok-4']);
    await startPoller([{ queueUrl: queue.url, functionName: 'recorder', batchSize: 10 }]);
    await waitFor('all six messages to be processed', () => records('recorder').length >= 6);
    await poller?.stop();
    const left = emulators.fauxqs.inspectQueue(queue.name);
    expect(left?.messages.ready).to.have.length(0);
    expect(left?.messages.inflight.map((entry) => entry.message.body).sort()).to.deep.equal(['fail-1', 'fail-2']);
  });

  it('builds the SQS event as Lambda does, and moves a FIFO message that keeps failing to the DLQ after maxReceiveCount', async () => {
    const dlq = await createQueue(true);
    const queue = await createQueue(true, { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    await send(queue.url, ['throw', 'ok'], (index) => `group-${index}`);
    await startPoller([{ queueUrl: queue.url, functionName: 'dlq', batchSize: 1 }]);
    await waitFor('the failing message to reach the DLQ', () => (emulators.fauxqs.inspectQueue(dlq.name)?.messages.ready.length ?? 0) === 1, 8_000);
    await poller?.stop();

    expect(emulators.fauxqs.inspectQueue(dlq.name)?.messages.ready.map((message) => message.body)).to.deep.equal(['throw']);
    const source = emulators.fauxqs.inspectQueue(queue.name);
    expect([...(source?.messages.ready ?? []), ...(source?.messages.inflight ?? [])]).to.have.length(0);
    const seen = records('dlq');
    expect(seen.filter((record) => record.body === 'throw').map((record) => record.attributes.ApproximateReceiveCount)).to.deep.equal(['1', '2']);
    const ok = seen.find((record) => record.body === 'ok') as SQSRecord;
    expect(ok).to.include({ eventSource: 'aws:sqs', eventSourceARN: queue.arn, awsRegion: LOCAL_REGION, md5OfBody: '444bcb3a3fcf8389296c49467f27e1d6' });
    expect(ok.messageId).to.be.a('string').and.not.equal('');
    expect(ok.receiptHandle).to.be.a('string').and.not.equal('');
    expect(ok.attributes).to.include({ ApproximateReceiveCount: '1', MessageGroupId: 'group-1', MessageDeduplicationId: 'ok-1' });
    expect(ok.attributes).to.have.keys(
      'ApproximateReceiveCount',
      'SentTimestamp',
      'SenderId',
      'ApproximateFirstReceiveTimestamp',
      'MessageGroupId',
      'MessageDeduplicationId',
      'SequenceNumber',
    );
    expect(ok.messageAttributes).to.deep.equal({ kind: { stringValue: 'test', stringListValues: [], binaryListValues: [], dataType: 'String' } });
  });

  it('never runs more invocations at once for a mapping than its maximumConcurrency', async () => {
    const queue = await createQueue(false);
    await send(
      queue.url,
      Array.from({ length: 12 }, (_, index) => `m${index}`),
    );
    await startPoller([{ queueUrl: queue.url, functionName: 'slow', batchSize: 1, maximumConcurrency: 2 }]);
    await waitFor('twelve messages to be processed', () => records('slow').length >= 12);
    const recorded = batches('slow');
    expect(recorded.every((batch) => batch.records.length === 1)).to.equal(true);
    expect(maxOverlap(recorded)).to.equal(2);
  });

  it('fills batches up to batchSize across FIFO message groups, one message per group in a batch', async () => {
    const queue = await createQueue(true);
    await send(
      queue.url,
      Array.from({ length: 30 }, (_, index) => `m${index}`),
      (index) => `group-${index % 15}`,
    );
    await startPoller([{ queueUrl: queue.url, functionName: 'batcher', batchSize: 10 }]);
    await waitFor('thirty messages to be processed', () => records('batcher').length >= 30);
    const recorded = batches('batcher');
    expect(Math.max(...recorded.map((batch) => batch.records.length))).to.equal(10);
    for (const batch of recorded) {
      const groups = batch.records.map((record) => record.attributes.MessageGroupId);
      expect(new Set(groups).size).to.equal(groups.length);
    }
    // Order within each group holds.
    for (let group = 0; group < 15; group += 1) {
      const bodies = records('batcher')
        .filter((record) => record.attributes.MessageGroupId === `group-${group}`)
        .map((record) => record.body);
      expect(bodies).to.deep.equal([`m${group}`, `m${group + 15}`]);
    }
  });

  it('refuses a mapping whose queue visibility timeout is below the function timeout, as CreateEventSourceMapping does', async () => {
    const queue = await createQueue(false, { VisibilityTimeout: '0' });
    const error = await startPoller([{ queueUrl: queue.url, functionName: 'recorder' }]).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(Error).and.have.property('message').that.contains('is less than Function timeout');
    poller = undefined;
  });
});
