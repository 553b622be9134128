import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalEmulators } from '../../../tooling/local/emulators.ts';
import { DataDirInUseError, PortInUseError } from '../../../tooling/local/errors.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import { freePort, tempDir } from './helpers.ts';

const clientConfig = (endpoint: string) => ({ endpoint, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS });

describe('LocalEmulators', () => {
  let dataDir: string;
  let ports: { dynalitePort: number; fauxqsPort: number };

  beforeEach(async () => {
    dataDir = tempDir('emulators');
    ports = { dynalitePort: await freePort(), fauxqsPort: await freePort() };
  });

  it('keeps DynamoDB items, SQS queues and S3 objects across a restart on the same data directory', async () => {
    const first = await LocalEmulators.start({ dataDir, ...ports });
    const dynamodb = new DynamoDBClient(clientConfig(first.endpoints.dynamodb));
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'ledger',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: 'ledger' });
    await dynamodb.send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'project#1' }, targetId: { S: 'fc-42' } } }));
    const sqs = new SQSClient(clientConfig(first.endpoints.sqs));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'projects.fifo', Attributes: { FifoQueue: 'true' } }));
    const s3 = new S3Client(clientConfig(first.endpoints.s3));
    await s3.send(new CreateBucketCommand({ Bucket: 'reports' }));
    await s3.send(new PutObjectCommand({ Bucket: 'reports', Key: 'acme/report.json', Body: '{"ok":true}' }));
    await first.close();

    const second = await LocalEmulators.start({ dataDir, ...ports });
    try {
      const item = await new DynamoDBClient(clientConfig(second.endpoints.dynamodb)).send(
        new GetItemCommand({ TableName: 'ledger', Key: { pk: { S: 'project#1' } } }),
      );
      expect(item.Item?.targetId?.S).to.equal('fc-42');
      const attributes = await new SQSClient(clientConfig(second.endpoints.sqs)).send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['FifoQueue'] }),
      );
      expect(attributes.Attributes?.FifoQueue).to.equal('true');
      const object = await new S3Client(clientConfig(second.endpoints.s3)).send(new GetObjectCommand({ Bucket: 'reports', Key: 'acme/report.json' }));
      expect(await object.Body?.transformToString()).to.equal('{"ok":true}');
    } finally {
      await second.close();
    }
  });

  it('refuses a second runtime on a data directory that is in use, and frees it on close', async () => {
    const running = await LocalEmulators.start({ dataDir, ...ports });
    try {
      const error = await LocalEmulators.start({ dataDir, dynalitePort: await freePort(), fauxqsPort: await freePort() }).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(DataDirInUseError);
    } finally {
      await running.close();
    }
    const again = await LocalEmulators.start({ dataDir, ...ports });
    await again.close();
  });

  it('fails with PortInUseError naming the port when the fauxqs port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(ports.fauxqsPort, '127.0.0.1', done));
    try {
      const error = await LocalEmulators.start({ dataDir, ...ports }).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(PortInUseError);
      expect((error as PortInUseError).context).to.deep.equal({ service: 'fauxqs', port: ports.fauxqsPort });
      // Nothing stays claimed: the directory can be used once the port is free.
    } finally {
      await new Promise<void>((done) => blocker.close(() => done()));
    }
    const started = await LocalEmulators.start({ dataDir, ...ports });
    await started.close();
  });

  it('refuses port 0 for fauxqs, whose queue URLs keep the port they were created on', async () => {
    const error = await LocalEmulators.start({ dataDir, dynalitePort: ports.dynalitePort, fauxqsPort: 0 }).catch((caught: unknown) => caught);
    expect(error)
      .to.be.instanceOf(Error)
      .and.have.property('message')
      .that.matches(/fixed port/);
  });
});
