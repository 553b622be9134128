import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynaliteThread } from '../../../tooling/local/dynalite-thread.ts';
import { DynaliteThreadError } from '../../../tooling/local/errors.ts';
import { RunTimeline } from '../../../tooling/local/timeline.ts';
import { FAKE_CREDENTIALS, LOCAL_HOST, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import { freePort, tempDir } from './helpers.ts';

describe('DynaliteThread: dynalite on a worker thread of its own', () => {
  it("puts each request's operation and span from the thread on the run's timeline, the last ones when it closes", async () => {
    const timeline = new RunTimeline();
    timeline.begin();
    const port = await freePort();
    const thread = await DynaliteThread.start({ path: join(tempDir('dynalite-thread'), 'dynamodb'), host: LOCAL_HOST, port, timeline });
    const dynamodb = new DynamoDBClient({ endpoint: `http://${LOCAL_HOST}:${port}`, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS });
    try {
      await dynamodb.send(new CreateTableCommand({ TableName: 'ledger', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
      await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: 'ledger' });
      for (let i = 0; i < 3; i += 1) await dynamodb.send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: `project#${i}` } } }));
    } finally {
      dynamodb.destroy();
      await thread.close();
    }
    const lines = timeline.summary().lines.filter((line) => line.part === 'dynamodb');
    expect(lines.find((line) => line.name === 'CreateTable')?.count).to.equal(1);
    expect(lines.find((line) => line.name === 'PutItem')?.count).to.equal(3);
  });

  it("reports its thread's heap while it runs, and zeros once it is closed", async () => {
    const thread = await DynaliteThread.start({ path: join(tempDir('dynalite-thread'), 'dynamodb'), host: LOCAL_HOST, port: await freePort() });
    const running = await thread.memory();
    await thread.close();
    expect(running.heapUsedBytes).to.be.above(0);
    expect(running.heapCommittedBytes).to.be.at.least(running.heapUsedBytes);
    expect(await thread.memory()).to.deep.equal({ heapUsedBytes: 0, heapCommittedBytes: 0, externalBytes: 0 });
  });

  it('fails with DynaliteThreadError code EADDRINUSE when its port is taken, and its thread is gone', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(port, LOCAL_HOST, done));
    const path = join(tempDir('dynalite-thread'), 'dynamodb');
    try {
      const error = await DynaliteThread.start({ path, host: LOCAL_HOST, port }).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(DynaliteThreadError);
      expect((error as DynaliteThreadError).context.code).to.equal('EADDRINUSE');
    } finally {
      await new Promise<void>((done) => blocker.close(() => done()));
    }
    // Its LevelDB store was closed with it: a new thread opens the same directory.
    const again = await DynaliteThread.start({ path, host: LOCAL_HOST, port });
    await again.close();
  });
});
