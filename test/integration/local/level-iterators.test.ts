import { expect } from 'chai';
import sinon from 'sinon';
import { AbstractIterator } from 'abstract-level';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, QueryCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { LocalEmulators } from '../../../tooling/local/emulators.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import { freePort, tempDir } from './helpers.ts';

describe("dynalite's LevelDB iterators in the local runtime", () => {
  let emulators: LocalEmulators;
  let dynamodb: DynamoDBClient;

  before(async () => {
    emulators = await LocalEmulators.start({ dataDir: tempDir('level-iterators'), dynalitePort: await freePort(), fauxqsPort: await freePort() });
    dynamodb = new DynamoDBClient({ endpoint: emulators.endpoints.dynamodb, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS });
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'ledger',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: 'ledger' });
    for (let i = 0; i < 5; i += 1)
      await dynamodb.send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'acme#projects#fp_1' }, sk: { S: String(i) } } }));
  });

  after(async () => {
    dynamodb.destroy();
    await emulators.close();
  });

  afterEach(() => sinon.restore());

  // An open iterator pins its LevelDB version: no table file can be deleted while one is open, and the store grows with every write.
  it('closes the iterator of every Query, read to its end or cut short by a Limit, as soon as the answer is sent', async () => {
    const close = sinon.spy(Object.getPrototypeOf(AbstractIterator.prototype) as { close(): Promise<void> }, 'close');
    for (let i = 0; i < 10; i += 1) {
      await dynamodb.send(
        new QueryCommand({ TableName: 'ledger', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'acme#projects#fp_1' } } }),
      );
      await dynamodb.send(
        new QueryCommand({
          TableName: 'ledger',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'acme#projects#fp_1' } },
          Limit: 2,
        }),
      );
    }
    expect(close.callCount).to.be.at.least(20);
  });
});
