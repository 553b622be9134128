import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { redrive } from '../../../src/queue/redrive.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import { LocalEmulators } from '../../../tooling/local/emulators.ts';
import { freePort, tempDir } from '../local/helpers.ts';

describe("redrive of one customer's dead letters on the local SQS (fauxqs)", () => {
  let emulators: LocalEmulators;
  let sqs: SQSClient;
  let queues = 0;

  before(async () => {
    emulators = await LocalEmulators.start({ dataDir: join(tempDir('redrive-'), 'state'), dynalitePort: await freePort(), fauxqsPort: await freePort() });
    sqs = new SQSClient({ endpoint: emulators.endpoints.sqs, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS });
  });
  after(async () => {
    sqs?.destroy();
    await emulators?.close();
  });

  async function fifo(): Promise<string> {
    queues += 1;
    return (await sqs.send(new CreateQueueCommand({ QueueName: `q${queues}.fifo`, Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
  }

  /** Dead letters of `customer` in groups of its own sub-projects, as the producer groups them. */
  async function deadLetters(queueUrl: string, customer: string, count: number): Promise<void> {
    for (let start = 0; start < count; start += 10) {
      const entries = Array.from({ length: Math.min(10, count - start) }, (_, offset) => {
        const index = start + offset;
        return {
          Id: String(offset),
          MessageBody: JSON.stringify({ v: 1, customer, runId: 'run-1', records: [{ externalRef: `fp_${customer}:projects:${index}` }] }),
          MessageGroupId: `fp_${customer}_north:${index % 3}`,
          MessageDeduplicationId: `${customer}-${index}`,
        };
      });
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    }
  }

  /** Takes every message off a queue (deleting each: a FIFO group hands out its next message only then); answers the customers they name. */
  async function drain(queueUrl: string): Promise<string[]> {
    const customers: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }),
      );
      if (Messages.length === 0) return customers.sort();
      for (const message of Messages) {
        customers.push(message.Body?.startsWith('{') ? (JSON.parse(message.Body) as { customer: string }).customer : 'unreadable');
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  }

  it("sends back only the customer's dead letters, each once, and leaves every other customer's (and an unreadable one) in the dead-letter queue, visible", async () => {
    const [dlq, queue] = [await fifo(), await fifo()];
    await deadLetters(dlq, 'acme', 23);
    await deadLetters(dlq, 'other', 12);
    await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: dlq, Entries: [{ Id: '0', MessageBody: 'not json', MessageGroupId: 'x', MessageDeduplicationId: 'x' }] }),
    );

    expect(await redrive(sqs, dlq, queue, { customer: 'acme', deadline: Date.now() + 60_000 })).to.deep.equal({ moved: 23, done: true });

    expect(await drain(queue)).to.deep.equal(Array(23).fill('acme'));
    // Shown again a second after the step (not at once: see showAgain).
    await sleep(1500);
    expect(await drain(dlq)).to.deep.equal([...Array(12).fill('other'), 'unreadable']);
  });

  it('answers done: false when its deadline has passed, having moved nothing more', async () => {
    const [dlq, queue] = [await fifo(), await fifo()];
    await deadLetters(dlq, 'acme', 3);
    expect(await redrive(sqs, dlq, queue, { customer: 'acme', deadline: Date.now() - 1 })).to.deep.equal({ moved: 0, done: false });
    expect(await redrive(sqs, dlq, queue, { customer: 'acme', deadline: Date.now() + 60_000 })).to.deep.equal({ moved: 3, done: true });
  });
});
