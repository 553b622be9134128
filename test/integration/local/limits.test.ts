import { expect } from 'chai';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  FAKE_CREDENTIALS,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  MAX_DYNAMODB_ITEM_BYTES,
  MAX_HISTORY_EVENTS,
  MAX_SQS_MESSAGE_BYTES,
  MAX_STATE_DATA_BYTES,
} from '../../../tooling/local/constants.ts';
import { LocalEmulators } from '../../../tooling/local/emulators.ts';
import { applyQueueLimits } from '../../../tooling/local/queue-limits.ts';
import { LocalStepFunctions, StepFunctionsApiError } from '../../../tooling/local/step-functions.ts';
import { freePort, tempDir } from './helpers.ts';

const clientConfig = (endpoint: string) => ({ endpoint, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS, maxAttempts: 1 });

describe("the local runtime enforces AWS's hard limits", function () {
  this.timeout(120_000);

  describe('Step Functions (LocalStepFunctions)', () => {
    const stepFunctions = new LocalStepFunctions(LOCAL_REGION, LOCAL_ACCOUNT_ID);
    const arn = (name: string) => stepFunctions.stateMachineArn(`limits-${name}`);

    before(() => {
      // A loop with no bound: AWS ends it at event 25,000.
      stepFunctions.register(arn('endless'), {
        StartAt: 'Spin',
        States: {
          Spin: { Type: 'Pass', Next: 'Again?' },
          'Again?': { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Spin' },
          Done: { Type: 'Succeed' },
        },
      });
      // A state whose output doubles a 200 KiB input, with a Catch that must not catch the data limit.
      stepFunctions.register(arn('big-output'), {
        StartAt: 'Double',
        States: {
          Double: { Type: 'Pass', Parameters: { 'a.$': '$.text', 'b.$': '$.text' }, Next: 'Done' },
          Done: { Type: 'Succeed' },
        },
      });
      stepFunctions.register(arn('short'), { StartAt: 'One', States: { One: { Type: 'Pass', Next: 'Two' }, Two: { Type: 'Pass', End: true } } });
    });

    it('refuses a definition that is not valid ASL at every register, also after valid ones were registered (a refused one is never taken for validated)', () => {
      const invalid = { StartAt: 'Missing', States: { One: { Type: 'Pass', End: true } } };
      for (let i = 0; i < 2; i += 1) expect(() => stepFunctions.register(arn(`invalid-${i}`), invalid)).to.throw();
    });

    it('fails an execution that reaches 25,000 history events with States.Runtime, as AWS does', async () => {
      const execution = stepFunctions.start(arn('endless'), '{}');
      const ended = await stepFunctions.settled(execution.executionArn);
      expect(ended.status).to.equal('FAILED');
      expect(ended.error).to.equal('States.Runtime');
      expect(ended.cause).to.equal('The execution reached the maximum number of history events (25000).');
      expect(stepFunctions.historyEvents(execution.executionArn)).to.equal(MAX_HISTORY_EVENTS);
    });

    it('counts a short execution as AWS writes it: ExecutionStarted, two Pass states entered and exited, ExecutionSucceeded', async () => {
      const execution = stepFunctions.start(arn('short'), '{}');
      expect((await stepFunctions.settled(execution.executionArn)).status).to.equal('SUCCEEDED');
      expect(stepFunctions.historyEvents(execution.executionArn)).to.equal(6);
    });

    it('fails an execution whose state output exceeds 256 KiB with States.DataLimitExceeded', async () => {
      const text = 'x'.repeat(200 * 1024);
      const execution = stepFunctions.start(arn('big-output'), JSON.stringify({ text }));
      const ended = await stepFunctions.settled(execution.executionArn);
      expect(ended.status).to.equal('FAILED');
      expect(ended.error).to.equal('States.DataLimitExceeded');
      expect(ended.cause).to.match(/'Double'.*exceeding the maximum number of bytes/);
    });

    it('refuses an execution input over 256 KiB at StartExecution', () => {
      const input = JSON.stringify({ text: 'x'.repeat(MAX_STATE_DATA_BYTES) });
      expect(() => stepFunctions.start(arn('short'), input)).to.throw(StepFunctionsApiError, /larger than 262144 bytes/);
    });
  });

  describe('SQS (fauxqs) and DynamoDB (dynalite)', () => {
    let emulators: LocalEmulators;
    let sqs: SQSClient;
    let dynamodb: DynamoDBClient;

    before(async () => {
      emulators = await LocalEmulators.start({ dataDir: tempDir('limits'), dynalitePort: await freePort(), fauxqsPort: await freePort() });
      sqs = new SQSClient(clientConfig(emulators.endpoints.sqs));
      dynamodb = new DynamoDBClient(clientConfig(emulators.endpoints.dynamodb));
    });

    after(async () => {
      sqs.destroy();
      dynamodb.destroy();
      await emulators.close();
    });

    it('refuses an SQS message over 256 KiB, alone or in a batch, on a queue the runtime created (fauxqs alone allows 1 MiB)', async () => {
      const { QueueUrl: queueUrl } = await sqs.send(
        new CreateQueueCommand({ QueueName: 'limits.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }),
      );
      const over = 'x'.repeat(MAX_SQS_MESSAGE_BYTES + 1);
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: over, MessageGroupId: 'g' }));

      await applyQueueLimits(sqs, queueUrl!);
      const refused = await sqs
        .send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: over, MessageGroupId: 'g' }))
        .catch((error: unknown) => error as Error);
      expect(refused).to.be.instanceOf(Error);
      expect((refused as Error).name).to.match(/InvalidParameterValue/);
      expect((refused as Error).message).to.match(/shorter than 262144 bytes/);
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'y'.repeat(MAX_SQS_MESSAGE_BYTES), MessageGroupId: 'g' }));
      const batch = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: [
            { Id: 'big', MessageBody: over, MessageGroupId: 'g' },
            { Id: 'small', MessageBody: 'ok', MessageGroupId: 'g' },
          ],
        }),
      );
      expect(batch.Failed?.map((entry) => [entry.Id, entry.Code])).to.deep.equal([['big', 'InvalidParameterValue']]);
      expect(batch.Successful?.map((entry) => entry.Id)).to.deep.equal(['small']);
    });

    it('refuses a DynamoDB item over 400 KB, put whole or grown by an update (dynalite enforces it)', async () => {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'limits',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: 'limits' });
      await dynamodb.send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'a' }, v: { S: 'x'.repeat(MAX_DYNAMODB_ITEM_BYTES - 1024) } } }));
      const tooBig = await dynamodb
        .send(new PutItemCommand({ TableName: 'limits', Item: { pk: { S: 'b' }, v: { S: 'x'.repeat(MAX_DYNAMODB_ITEM_BYTES + 1) } } }))
        .catch((error: unknown) => error as Error);
      expect((tooBig as Error).name).to.equal('ValidationException');
      expect((tooBig as Error).message).to.match(/Item size has exceeded the maximum allowed size/);
      const grown = await dynamodb
        .send(
          new UpdateItemCommand({
            TableName: 'limits',
            Key: { pk: { S: 'a' } },
            UpdateExpression: 'SET w = :w',
            ExpressionAttributeValues: { ':w': { S: 'y'.repeat(2048) } },
          }),
        )
        .catch((error: unknown) => error as Error);
      expect((grown as Error).name).to.equal('ValidationException');
    });
  });
});
