import { expect } from 'chai';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalEmulators } from '../../../tooling/local/emulators.ts';
import { LambdaEndpoint } from '../../../tooling/local/lambda-endpoint.ts';
import { buildRuntimeEnv } from '../../../tooling/local/runtime-env.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import { fixtureBundle, freePort, tempDir } from './helpers.ts';

describe('buildRuntimeEnv', () => {
  it('points every service at its endpoint, with the local region and fake credentials, extras winning', () => {
    const endpoints = {
      dynamodb: 'http://127.0.0.1:1',
      sqs: 'http://127.0.0.1:2',
      s3: 'http://127.0.0.1:2',
      ssm: 'http://127.0.0.1:3',
      lambda: 'http://127.0.0.1:4',
      sfn: 'http://127.0.0.1:5',
    };
    const env = buildRuntimeEnv(endpoints, { PARAMETER_PREFIX: '/fiberplan-migration/local', AWS_REGION: 'eu-central-1' });
    expect(env).to.include({
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_SSM: endpoints.ssm,
      AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
      AWS_ENDPOINT_URL_SFN: endpoints.sfn,
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
      PARAMETER_PREFIX: '/fiberplan-migration/local',
    });
  });

  describe('in a Lambda worker, with SDK clients configured by the environment alone', () => {
    let emulators: LocalEmulators;
    let lambda: LambdaEndpoint;

    before(async () => {
      emulators = await LocalEmulators.start({ dataDir: join(tempDir('env'), 'state'), dynalitePort: await freePort(), fauxqsPort: await freePort() });
      const env = buildRuntimeEnv({ ...emulators.endpoints, ssm: 'http://127.0.0.1:9', lambda: 'http://127.0.0.1:9', sfn: 'http://127.0.0.1:9' });
      lambda = new LambdaEndpoint({
        port: 0,
        functions: {
          writer: { bundlePath: fixtureBundle('s3-writer'), timeoutSeconds: 15, environment: env },
          sender: { bundlePath: fixtureBundle('sqs-sender'), timeoutSeconds: 15, environment: env },
        },
      });
    });

    after(async () => {
      await lambda.close();
      await emulators.close();
    });

    it('reaches fauxqs S3 path-style through the IP endpoint', async () => {
      await new S3Client({ endpoint: emulators.endpoints.s3, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS }).send(
        new CreateBucketCommand({ Bucket: 'migration-reports' }),
      );
      const result = await lambda.invoke('writer', { bucket: 'migration-reports', key: 'acme/run-1/report.json', body: '{"migrated":3}' });
      expect(result.functionError).to.equal(undefined, JSON.stringify(result.payload));
      expect(result.payload).to.deep.equal({ body: '{"migrated":3}' });
    });

    it('reaches a fauxqs queue by the URL fauxqs gave it (sqs.<region>.localhost resolves to loopback)', async () => {
      const { QueueUrl } = await new SQSClient({ endpoint: emulators.endpoints.sqs, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS }).send(
        new CreateQueueCommand({ QueueName: 'projects.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }),
      );
      expect(QueueUrl).to.match(/^http:\/\/sqs\.eu-west-1\.localhost:\d+\//);
      const result = await lambda.invoke('sender', { queueUrl: QueueUrl, body: 'row-1' });
      expect(result.functionError).to.equal(undefined, JSON.stringify(result.payload));
      expect(result.payload).to.deep.equal({ waiting: 1 });
    });
  });
});
