import { expect } from 'chai';
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll, unprocessedBackoffMs } from '../../../src/ledger/batch.ts';

type Key = { pk: string; sk: string };

/**
 * A DynamoDB document client that answers BatchGet / BatchWrite from a map of
 * items, leaving the first `unprocessedOnce` keys or items of each call's
 * first try unprocessed, and records each call's size and start time.
 */
class FakeBatchClient {
  public readonly items = new Map<string, Record<string, unknown>>();
  public readonly calls: { kind: 'get' | 'write'; size: number; at: number }[] = [];
  private inFlight = 0;
  public maxInFlight = 0;
  private readonly retried = new Set<string>();

  public constructor(private readonly unprocessedOnce = 0) {}

  public async send(command: unknown): Promise<unknown> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight -= 1;
    if (command instanceof BatchGetCommand) return this.get(command);
    if (command instanceof BatchWriteCommand) return this.write(command);
    throw new Error('unexpected command');
  }

  private held<T>(requests: T[], id: (request: T) => string): { done: T[]; left: T[] } {
    const left = requests.filter((request, index) => index < this.unprocessedOnce && !this.retried.has(id(request)));
    for (const request of left) this.retried.add(id(request));
    return { done: requests.filter((request) => !left.includes(request)), left };
  }

  private get(command: BatchGetCommand): unknown {
    const [table, { Keys }] = (Object.entries(command.input.RequestItems!) as [string, { Keys: Key[] }][])[0]!;
    this.calls.push({ kind: 'get', size: Keys.length, at: Date.now() });
    const { done, left } = this.held(Keys, (key) => `get ${key.pk}/${key.sk}`);
    const found = done.flatMap((key) => this.items.get(`${key.pk}/${key.sk}`) ?? []);
    return { Responses: { [table]: found }, ...(left.length ? { UnprocessedKeys: { [table]: { Keys: left } } } : {}) };
  }

  private write(command: BatchWriteCommand): unknown {
    const [table, requests] = (Object.entries(command.input.RequestItems!) as [string, { PutRequest: { Item: Key } }[]][])[0]!;
    this.calls.push({ kind: 'write', size: requests.length, at: Date.now() });
    const { done, left } = this.held(requests, ({ PutRequest: { Item } }) => `write ${Item.pk}/${Item.sk}`);
    for (const { PutRequest } of done) this.items.set(`${PutRequest.Item.pk}/${PutRequest.Item.sk}`, PutRequest.Item);
    return left.length ? { UnprocessedItems: { [table]: left } } : {};
  }
}

const asClient = (fake: FakeBatchClient) => fake as unknown as DynamoDBDocumentClient;
const items = (count: number): Key[] => Array.from({ length: count }, (_, index) => ({ pk: 'p', sk: String(index).padStart(4, '0') }));

describe('DynamoDB batch calls, whole (src/ledger/batch.ts)', () => {
  it('waits 50 ms before the first resend of an unprocessed part, doubling, never more than 1 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(unprocessedBackoffMs)).to.deep.equal([50, 100, 200, 400, 800, 1000, 1000]);
  });

  it('writes 25 items a BatchWriteItem and 100 keys a BatchGetItem, one call after the other by default', async () => {
    const fake = new FakeBatchClient();
    await batchPutAll(asClient(fake), 'runs', items(60));
    const found = await batchGetAll(asClient(fake), 'runs', items(230));
    expect(fake.calls.map(({ kind, size }) => `${kind} ${size}`)).to.deep.equal(['write 25', 'write 25', 'write 10', 'get 100', 'get 100', 'get 30']);
    expect(fake.maxInFlight).to.equal(1);
    expect(found.map((item) => item.sk).sort()).to.deep.equal(items(60).map((item) => item.sk));
  });

  it('sends up to `concurrency` calls at once', async () => {
    const fake = new FakeBatchClient();
    await batchPutAll(asClient(fake), 'ledger', items(200), { concurrency: 4 });
    expect(fake.calls).to.have.length(8);
    expect(fake.maxInFlight).to.equal(4);
    expect(fake.items.size).to.equal(200);
  });

  it("sends a call's unprocessed keys and items again, after the pause, until none is left", async () => {
    const fake = new FakeBatchClient(3);
    await batchPutAll(asClient(fake), 'ledger', items(10));
    expect(fake.items.size, 'every item written').to.equal(10);
    const found = await batchGetAll(asClient(fake), 'ledger', items(10));
    expect(found).to.have.length(10);
    expect(fake.calls.map(({ kind, size }) => `${kind} ${size}`)).to.deep.equal(['write 10', 'write 3', 'get 10', 'get 3']);
    expect(fake.calls[1]!.at - fake.calls[0]!.at, 'the resend waited').to.be.at.least(unprocessedBackoffMs(1));
  });

  it('sends nothing for nothing', async () => {
    const fake = new FakeBatchClient();
    await batchPutAll(asClient(fake), 'ledger', []);
    expect(await batchGetAll(asClient(fake), 'ledger', [])).to.deep.equal([]);
    expect(fake.calls).to.deep.equal([]);
  });
});
