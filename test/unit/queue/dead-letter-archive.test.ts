import { expect } from 'chai';
import type { SQSRecord } from 'aws-lambda';
import { archiveDeadLetters, deadLetterKey, withDeadLetterCopies, type DeadLetterStore } from '../../../src/queue/dead-letter-archive.ts';

class MemoryStore implements DeadLetterStore {
  public readonly objects = new Map<string, string>();

  public async put(key: string, body: string): Promise<string> {
    this.objects.set(key, body);
    return key;
  }
}

const record = (messageId: string, receiveCount: number, body: unknown = { customer: 'acme', runId: 'run-1', collection: 'projects' }): SQSRecord =>
  ({
    messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:q.fifo',
  }) as unknown as SQSRecord;

describe('dead letters copied to the bucket before SQS dead-letters them (it keeps them 14 days at most)', () => {
  it('copies exactly the failed messages on their last delivery, with their body and receive count', async () => {
    const store = new MemoryStore();
    const records = [record('m1', 5), record('m2', 4), record('m3', 5), record('m4', 6)];
    const keys = await archiveDeadLetters(
      store,
      records,
      { batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }, { itemIdentifier: 'm4' }] },
      5,
    );
    expect(keys).to.deep.equal(['dead-letters/acme/run-1/projects/m1.json', 'dead-letters/acme/run-1/projects/m4.json']);
    const copy = JSON.parse(store.objects.get(keys[0]!)!) as { body: string; attributes: Record<string, string> };
    expect(JSON.parse(copy.body)).to.deep.equal({ customer: 'acme', runId: 'run-1', collection: 'projects' });
    expect(copy.attributes.ApproximateReceiveCount).to.equal('5');
  });

  it('copies them too when every record failed and the processing threw, and throws the error again', async () => {
    const store = new MemoryStore();
    const failure = new Error('All records failed processing');
    let thrown: unknown;
    try {
      await withDeadLetterCopies(store, [record('m7', 5), record('m8', 2)], 5, () => Promise.reject(failure));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.equal(failure);
    expect([...store.objects.keys()]).to.deep.equal(['dead-letters/acme/run-1/projects/m7.json']);
    const partial = await withDeadLetterCopies(store, [record('m9', 5)], 5, async () => ({ batchItemFailures: [{ itemIdentifier: 'm9' }] }));
    expect(partial.copied).to.deep.equal(['dead-letters/acme/run-1/projects/m9.json']);
  });

  it('keeps a message it cannot read under unknown/, and never puts a path from the message into the key', () => {
    expect(deadLetterKey(record('m5', 5, 'not json'))).to.equal('dead-letters/unknown/unknown/unknown/m5.json');
    expect(deadLetterKey(record('m6', 5, { customer: '../etc', runId: 'r/x', collection: 'projects' }))).to.equal(
      'dead-letters/unknown/unknown/projects/m6.json',
    );
  });
});
