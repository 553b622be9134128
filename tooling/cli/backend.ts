import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand, ListMapRunsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Collection, InvalidInputError } from '../../src/domain/index.ts';
import { RunStore } from '../../src/ledger/index.ts';
import { executionRunning, RunLock } from '../../src/control/index.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../local/constants.ts';
import { LOCAL_PREFIX, type LocalRuntime } from '../local/runtime.ts';
import type { ServiceEndpoints } from '../local/types.ts';
import { ObjectStore } from '../../src/pipeline/index.ts';
import { VerifyStore } from '../../src/verify/index.ts';
import type { FailedChildLookup } from './root-cause.ts';

/** What the CLI needs to know about a deployed stack; Terraform writes it to `<parameter prefix>/stack`. */
export interface StackDescription {
  region: string;
  stateMachineArn: string;
  /** The verification state machine (`make verify`). */
  verifyStateMachineArn: string;
  /** The rollback state machine `make rollback STAGE=x` starts. */
  rollbackStateMachineArn: string;
  /** The redrive state machine `make redrive STAGE=x` starts. */
  redriveStateMachineArn: string;
  runsTable: string;
  ledgerTable: string;
  bucket: string;
  /** The legacy pre-check `make migrate STAGE=x` invokes before it starts anything. */
  precheckFunctionName: string;
  queueUrls: Record<Collection, string>;
  deadLetterQueueUrls: Record<Collection, string>;
  /** The consumer's timeout: `make stop` waits at most this long for deliveries in flight (a stage from before it: 60). */
  consumerTimeoutSeconds?: number;
}

/**
 * The clients and names of one runtime: the embedded local one or a
 * deployed AWS stage. Every command (migrate, report, redrive) works on this,
 * so the same code serves both; only endpoints and names differ.
 */
export interface Backend {
  /** `local`, or the stage name. */
  name: string;
  stack: StackDescription;
  sfn: SFNClient;
  sqs: SQSClient;
  lambda: LambdaClient;
  runs: RunStore;
  /** One run per customer (and tenant): whose run holds a customer, and whether it still runs. */
  locks: RunLock;
  store: ObjectStore;
  /** A verification's figures as its steps write them (its live progress). */
  verifyStore: VerifyStore;
  /** A failed child of a Distributed Map run (AWS only: the local runtime nests the child's error in the cause). */
  failedChild?: FailedChildLookup;
}

function clients(
  stack: StackDescription,
  endpoints: { sfn?: string; sqs?: string; lambda?: string; dynamodb?: string; s3?: string },
  local: boolean,
): Omit<Backend, 'name' | 'stack'> {
  const config = local ? { region: LOCAL_REGION, credentials: FAKE_CREDENTIALS } : { region: stack.region };
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, ...(endpoints.dynamodb ? { endpoint: endpoints.dynamodb } : {}) }));
  const sfn = new SFNClient({ ...config, ...(endpoints.sfn ? { endpoint: endpoints.sfn } : {}) });
  return {
    sfn,
    locks: new RunLock(db, stack.runsTable, (executionArn) => executionRunning(sfn, executionArn)),
    sqs: new SQSClient({ ...config, ...(endpoints.sqs ? { endpoint: endpoints.sqs } : {}) }),
    lambda: new LambdaClient({ ...config, ...(endpoints.lambda ? { endpoint: endpoints.lambda } : {}) }),
    runs: new RunStore(db, stack.runsTable),
    verifyStore: new VerifyStore(db, stack.runsTable),
    store: new ObjectStore(new S3Client({ ...config, ...(endpoints.s3 ? { endpoint: endpoints.s3 } : {}), forcePathStyle: true }), stack.bucket),
  };
}

/** The backend of a running embedded runtime. */
export function localBackend(runtime: LocalRuntime): Backend {
  return attachedBackend(localStackDescription(runtime), runtime.endpoints);
}

/** The backend of an embedded runtime from its stack description and endpoints (another process's runtime too: tooling/cli/attach.ts). */
export function attachedBackend(stack: StackDescription, endpoints: ServiceEndpoints): Backend {
  return { name: 'local', stack, ...clients(stack, endpoints, true) };
}

/** What the CLI needs to know of an embedded runtime, as a stage's stack parameter says it. */
export function localStackDescription(runtime: LocalRuntime): StackDescription {
  return {
    region: LOCAL_REGION,
    stateMachineArn: runtime.stack.stateMachineArn('migration'),
    verifyStateMachineArn: runtime.stack.stateMachineArn('verify'),
    rollbackStateMachineArn: runtime.stack.stateMachineArn('rollback'),
    redriveStateMachineArn: runtime.stack.stateMachineArn('redrive'),
    runsTable: runtime.stack.runsTable,
    ledgerTable: runtime.stack.ledgerTable,
    bucket: runtime.stack.bucket,
    precheckFunctionName: `${LOCAL_PREFIX}-precheck`,
    queueUrls: runtime.stack.queueUrls,
    deadLetterQueueUrls: runtime.stack.deadLetterQueueUrls,
    consumerTimeoutSeconds: runtime.stack.consumerTimeoutSeconds,
  };
}

/** Parameter Store name of a stage's stack description. */
export function stackParameter(stage: string): string {
  return `/fiberplan-migration/${stage}/stack`;
}

/**
 * The backend of a deployed stage: its stack description from Parameter
 * Store, clients on the standard credentials chain (AWS_PROFILE, SSO,
 * environment) and the standard AWS_ENDPOINT_URL_* variables (LocalStack).
 */
export async function awsBackend(stage: string): Promise<Backend> {
  const ssm = new SSMClient({});
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: stackParameter(stage) }))).Parameter?.Value;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ParameterNotFound') {
      throw new InvalidInputError(
        `stage ${stage} is not deployed in this account and region (no ${stackParameter(stage)}): run terraform apply first (docs/deploy.md)`,
        { input: 'STAGE', issue: stage },
      );
    }
    throw new InvalidInputError(`cannot read ${stackParameter(stage)}: ${(error as Error).message} (check AWS credentials and region)`, {
      input: 'STAGE',
      issue: name,
    });
  } finally {
    ssm.destroy();
  }
  const stack = JSON.parse(value ?? '{}') as StackDescription;
  const backend = { name: stage, stack, ...clients(stack, {}, false) };
  return { ...backend, failedChild: (executionArn) => failedMapRunChild(backend.sfn, executionArn) };
}

/**
 * The first failed child execution of the Map runs of `executionArn`, or
 * undefined (none, or no permission to list them: the caller then shows the
 * Map's own error).
 */
async function failedMapRunChild(sfn: SFNClient, executionArn: string): ReturnType<FailedChildLookup> {
  try {
    const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
    for (const run of mapRuns ?? []) {
      const { executions } = await sfn.send(new ListExecutionsCommand({ mapRunArn: run.mapRunArn, statusFilter: 'FAILED', maxResults: 1 }));
      const child = executions?.[0]?.executionArn;
      if (!child) continue;
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: child }));
      return { error: described.error, cause: described.cause, input: described.input, executionArn: child };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
