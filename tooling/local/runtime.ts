import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_PROFILE, type ResolvedProfile } from '../../src/profile/index.ts';
import { parameterNames } from '../../src/profile/parameter-store/index.ts';
import functionSettings from '../../functions/settings.json' with { type: 'json' };
import { type Collection, COLLECTIONS } from '../../src/domain/index.ts';
import { createTableInput } from '../../src/ledger/index.ts';
import { renderStateMachine, templateNames } from '../statemachines/render.ts';
import { DEFAULT_BASE_PORT, DEFAULT_DATA_DIR, FAKE_CREDENTIALS, LOCAL_ACCOUNT_ID, LOCAL_REGION, METRICS_LOG_FILE } from './constants.ts';
import { LocalEmulators } from './emulators.ts';
import { SqsEventSourcePoller } from './event-source-poller.ts';
import { LambdaEndpoint } from './lambda-endpoint.ts';
import { MemoryLog } from './memory-log.ts';
import { MetricsLog } from './metrics-log.ts';
import { applyQueueLimits } from './queue-limits.ts';
import { resolveLocalhostSubdomains } from './localhost-dns.ts';
import { buildRuntimeEnv } from './runtime-env.ts';
import { handlersToWarm } from './flow-closure.ts';
import { startSfnEndpoint } from './sfn-endpoint.ts';
import { SsmEndpoint } from './ssm-endpoint.ts';
import { LocalStepFunctions } from './step-functions.ts';
import type { RunTimeline } from './timeline.ts';
import type { LocalFunctionConfig, ServiceEndpoints } from './types.ts';

/** Name prefix of every local resource; the Terraform stacks use `fiberplan-migration-<stage>` the same way. */
export const LOCAL_PREFIX = 'fiberplan-migration-local';
/** Parameter Store prefix of the local runtime. */
export const LOCAL_PARAMETER_PREFIX = '/fiberplan-migration/local';
const ROOT = resolve(import.meta.dirname, '../..');

/** What the runtime needs to know to start. */
export interface LocalRuntimeOptions {
  /** Persisted state (DynamoDB, SQS, S3) and the functions' metrics (`metrics.jsonl`). Default `.local/runtime`. */
  dataDir?: string;
  /** First of the five ports the runtime uses (SQS+S3, DynamoDB, SSM, Lambda, Step Functions). Default {@link DEFAULT_BASE_PORT}. */
  basePort?: number;
  /** Folder of the bundles (`make build`). Default `dist/`. */
  distDir?: string;
  /** The legacy server, `mysql://...` (absent: commands that only read runs and reports). */
  legacyDbUrl?: string;
  /** FiberConnect's base URL and a token per customer (absent: as above). */
  targetUrl?: string;
  targetTokens?: Record<string, string>;
  /** Start the SQS event sources (consumers). Default true; false for commands that only read. */
  eventSources?: boolean;
  /** Consumer instances at once (the event source's maximum concurrency). Default 4. */
  consumers?: number;
  /** Messages per consumer invocation. Default 10. */
  consumerBatchSize?: number;
  /** Consumer timeout; the queues' visibility timeout is set above it. */
  consumerTimeoutSeconds?: number;
  /** Deliveries before a message is dead-lettered. */
  maxReceiveCount?: number;
  /** Powertools log level inside the handlers. Default WARN, so progress output stays readable. */
  logLevel?: string;
  /**
   * The state machine a command will start (e.g. `migration`): one instance
   * of every function it and the flows it starts call (and the consumer) is
   * started ahead, as provisioned concurrency would, so their inits overlap
   * the run's preparation instead of each delaying its first step. Functions
   * of other workflows are left cold: every init costs a core about a second
   * here. Default none (commands that invoke nothing).
   */
  prewarm?: string;
  /**
   * Producers a flow runs at once (the customer's `concurrency.producers`,
   * or its override): with `prewarm`, that many producer instances are
   * started ahead, or every flow's first step would start all but one of
   * them cold at once. Default: the largest of the profiles of the
   * customers in `targetTokens`.
   */
  producers?: number;
  /** Records where the run's time goes (flows, invocations, queue time, DynamoDB): `make bench`'s timeline. */
  timeline?: RunTimeline;
  /** A file to append a memory reading to every 2 s ({@link MemoryLog}; `make bench-scale`). */
  memoryLog?: string;
}

/** The resources of one local stack, named as Terraform names them on AWS. */
export interface LocalStack {
  ledgerTable: string;
  runsTable: string;
  rateLimitTable: string;
  bucket: string;
  queueUrls: Record<Collection, string>;
  deadLetterQueueUrls: Record<Collection, string>;
  /** The consumer's timeout: a delivery in flight has ended this long after it began. */
  consumerTimeoutSeconds: number;
  stateMachineArn(name: string): string;
}

/** Timeout and memory of each function: functions/settings.json, which Terraform reads for a stage too. */
const FUNCTION_SETTINGS: Readonly<Record<string, { timeoutSeconds: number; memorySizeMb: number } | undefined>> = functionSettings.functions;

/**
 * The embedded local runtime (docs/architecture.md, runtimes; its gaps in docs/local-runtime.md): the AWS services the
 * engine uses, emulated in this process with real AWS protocols, running the
 * SAME dist/ bundles and the SAME state machine templates as AWS. The CLI
 * talks to it through the ordinary SDK clients, pointed at it by
 * AWS_ENDPOINT_URL_* variables.
 */
export class LocalRuntime {
  private constructor(
    public readonly endpoints: ServiceEndpoints,
    public readonly stack: LocalStack,
    public readonly stepFunctions: LocalStepFunctions,
    private readonly parts: {
      emulators: LocalEmulators;
      ssm: SsmEndpoint;
      lambda: LambdaEndpoint;
      poller: SqsEventSourcePoller;
      memoryLog: MemoryLog | undefined;
      closeSfn: () => Promise<void>;
      releaseDns: () => void;
    },
  ) {}

  /** The environment a client of this runtime needs (endpoints, region, credentials). */
  public clientEnvironment(): Record<string, string> {
    return buildRuntimeEnv(this.endpoints);
  }

  /** Starts everything, creates the stack's resources when missing, and registers the state machines. */
  public static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const basePort = options.basePort ?? DEFAULT_BASE_PORT;
    const distDir = resolve(options.distDir ?? join(ROOT, 'dist'));
    const handlers = existsSync(distDir) ? readdirSync(distDir).filter((name) => existsSync(join(distDir, name, 'index.mjs'))) : [];
    if (handlers.length === 0) throw new Error(`no bundles under ${distDir}: run make build first`);
    const releaseDns = resolveLocalhostSubdomains();
    const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
    const emulators = await LocalEmulators.start({
      dataDir,
      fauxqsPort: basePort,
      dynalitePort: basePort + 1,
      ...(options.timeline ? { timeline: options.timeline } : {}),
    });
    const started: { close(): Promise<void> }[] = [emulators];
    try {
      const ssm = new SsmEndpoint({ port: basePort + 2 });
      await ssm.start();
      started.push(ssm);
      const stepFunctions = new LocalStepFunctions(LOCAL_REGION, LOCAL_ACCOUNT_ID, options.timeline);
      const sfn = await startSfnEndpoint(stepFunctions, basePort + 4);
      started.push({ close: () => sfn.server.close() });
      const lambdaUrl = `http://127.0.0.1:${basePort + 3}`;
      const endpoints: ServiceEndpoints = { ...emulators.endpoints, ssm: ssm.url, lambda: lambdaUrl, sfn: sfn.url };
      const clientEnv = buildRuntimeEnv(endpoints);
      const clientConfig = { region: LOCAL_REGION, credentials: FAKE_CREDENTIALS };

      const maxReceiveCount = options.maxReceiveCount ?? 5;
      const consumerTimeout = options.consumerTimeoutSeconds ?? settingsOf('consumer').timeoutSeconds;
      const stack = await createStack(endpoints, clientConfig, maxReceiveCount, consumerTimeout);
      const profiles = readProfiles(distDir);
      publishParameters(ssm, profiles, options);

      const functionArn = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${LOCAL_PREFIX}-${name}`;
      const environment = {
        ...clientEnv,
        LEDGER_TABLE: stack.ledgerTable,
        RUNS_TABLE: stack.runsTable,
        RATE_LIMIT_TABLE: stack.rateLimitTable,
        BUCKET: stack.bucket,
        QUEUE_URLS: JSON.stringify(stack.queueUrls),
        DEAD_LETTER_QUEUE_URLS: JSON.stringify(stack.deadLetterQueueUrls),
        MAX_RECEIVE_COUNT: String(maxReceiveCount),
        PARAMETER_PREFIX: LOCAL_PARAMETER_PREFIX,
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
        // The stack's metrics namespace, as Terraform sets <name_prefix> on a stage.
        POWERTOOLS_METRICS_NAMESPACE: LOCAL_PREFIX,
        NODE_OPTIONS: '--enable-source-maps',
      };
      const functions: Record<string, LocalFunctionConfig> = {};
      for (const handler of handlers) {
        functions[`${LOCAL_PREFIX}-${handler}`] = {
          bundlePath: join(distDir, handler, 'index.mjs'),
          ...settingsOf(handler),
          ...(handler === 'consumer' ? { timeoutSeconds: consumerTimeout } : {}),
          concurrency: handler === 'consumer' ? Math.max(2, options.consumers ?? 4) : 16,
          environment: { ...environment, POWERTOOLS_SERVICE_NAME: handler, AWS_LAMBDA_FUNCTION_NAME: `${LOCAL_PREFIX}-${handler}` },
        };
      }
      // The functions' EMF lines, which CloudWatch Logs would turn into metrics on a stage.
      const metricsLog = new MetricsLog(join(dataDir, METRICS_LOG_FILE));
      const lambda = new LambdaEndpoint({ functions, port: basePort + 3, metricsLog, ...(options.timeline ? { timeline: options.timeline } : {}) });
      await lambda.start();
      started.push(lambda);
      const memoryLog = options.memoryLog ? new MemoryLog(options.memoryLog, lambda) : undefined;

      // The state machines' Lambda Tasks call Lambda through the SDK in THIS process.
      Object.assign(process.env, clientEnv);
      const variables: Record<string, string> = {};
      for (const handler of handlers) variables[`${handler.replaceAll('-', '_')}_function_arn`] = functionArn(handler);
      for (const name of templateNames()) variables[`${flowVariable(name)}_arn`] = stack.stateMachineArn(name);
      const definitions = templateNames().map((name) => renderStateMachine(name, variables));
      templateNames().forEach((name, index) => stepFunctions.register(stack.stateMachineArn(name), definitions[index]!));
      if (options.prewarm) {
        const warm = handlersToWarm(
          options.prewarm,
          templateNames(),
          definitions,
          stack.stateMachineArn,
          handlers,
          functionArn,
          options.eventSources !== false,
        );
        const producers = options.producers ?? producersOf(profiles, Object.keys(options.targetTokens ?? {}));
        const copies = (handler: string): number => (handler === 'producer' ? producers : 1);
        void lambda.prewarm(warm.flatMap((handler) => Array.from({ length: copies(handler) }, () => `${LOCAL_PREFIX}-${handler}`)));
      }

      const poller = new SqsEventSourcePoller({
        sqsEndpoint: endpoints.sqs,
        invoker: lambda,
        mappings: COLLECTIONS.map((collection) => ({
          queueUrl: stack.queueUrls[collection],
          functionName: `${LOCAL_PREFIX}-consumer`,
          batchSize: options.consumerBatchSize ?? 10,
          maximumConcurrency: Math.max(2, options.consumers ?? 4),
        })),
        ...(options.timeline ? { timeline: options.timeline } : {}),
        logger: {
          warn: (message, details) => process.stderr.write(`runtime: ${message} ${details ? JSON.stringify(details) : ''}\n`),
          error: (message, details) => process.stderr.write(`runtime: ${message} ${details ? JSON.stringify(details) : ''}\n`),
        },
      });
      if (options.eventSources !== false) await poller.start();
      return new LocalRuntime(endpoints, stack, stepFunctions, { emulators, ssm, lambda, poller, memoryLog, closeSfn: () => sfn.server.close(), releaseDns });
    } catch (error) {
      for (const part of started.reverse()) await part.close().catch(() => undefined);
      releaseDns();
      throw error;
    }
  }

  /** Stops every part; persisted state stays for the next start. */
  public async close(): Promise<void> {
    this.stepFunctions.stopAll();
    await this.parts.poller.stop();
    await this.parts.memoryLog?.stop();
    await this.parts.lambda.close();
    await this.parts.closeSfn();
    await this.parts.ssm.close();
    await this.parts.emulators.close();
    this.parts.releaseDns();
  }
}

/** The templates' name for a flow's ARN variable (without `_arn`): `update-migrated-assignments` → `update_migrated_assignments_flow`. */
export function flowVariable(templateName: string): string {
  return `${templateName.replaceAll('-', '_')}_flow`;
}

async function createStack(endpoints: ServiceEndpoints, clientConfig: object, maxReceiveCount: number, consumerTimeoutSeconds: number): Promise<LocalStack> {
  const dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: endpoints.dynamodb });
  const s3 = new S3Client({ ...clientConfig, endpoint: endpoints.s3, forcePathStyle: true });
  const sqs = new SQSClient({ ...clientConfig, endpoint: endpoints.sqs });
  const tables = { ledger: `${LOCAL_PREFIX}-ledger`, runs: `${LOCAL_PREFIX}-runs`, rateLimits: `${LOCAL_PREFIX}-rate-limits` };
  for (const kind of Object.keys(tables) as (keyof typeof tables)[]) {
    try {
      await dynamodb.send(new CreateTableCommand(createTableInput(kind, tables[kind])));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    // dynalite, like DynamoDB, creates a table asynchronously: a write before it is ACTIVE gets ResourceNotFoundException.
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: tables[kind] });
  }
  const bucket = `${LOCAL_PREFIX}-data`;
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
  const queueUrls = {} as Record<Collection, string>;
  const deadLetterQueueUrls = {} as Record<Collection, string>;
  for (const collection of COLLECTIONS) {
    const dlq = await sqs.send(
      new CreateQueueCommand({ QueueName: `${LOCAL_PREFIX}-${collection}-dlq.fifo`, Attributes: { FifoQueue: 'true', MessageRetentionPeriod: '1209600' } }),
    );
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${LOCAL_PREFIX}-${collection}.fifo`,
        Attributes: {
          FifoQueue: 'true',
          // Above the consumer's timeout, as AWS requires, so a slow delivery is never handed out twice at once.
          VisibilityTimeout: String(consumerTimeoutSeconds + 10),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount }),
        },
      }),
    );
    await applyQueueLimits(sqs, dlq.QueueUrl!);
    await applyQueueLimits(sqs, queue.QueueUrl!);
    queueUrls[collection] = queue.QueueUrl!;
    deadLetterQueueUrls[collection] = dlq.QueueUrl!;
  }
  dynamodb.destroy();
  s3.destroy();
  sqs.destroy();
  return {
    ledgerTable: tables.ledger,
    runsTable: tables.runs,
    rateLimitTable: tables.rateLimits,
    bucket,
    queueUrls,
    deadLetterQueueUrls,
    consumerTimeoutSeconds,
    stateMachineArn: (name) => `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${LOCAL_PREFIX}-${name}`,
  };
}

/** The resolved profiles by customer in dist/profiles.json (`make build` resolves the profile files into it). */
/** A function's timeout and memory; every bundle's folder is a functions/ folder, which functions/settings.json lists (make test-static). */
function settingsOf(handler: string): { timeoutSeconds: number; memorySizeMb: number } {
  const settings = FUNCTION_SETTINGS[handler];
  if (!settings) throw new Error(`functions/settings.json has no timeout and memory for ${handler}: add them (make build rebuilds dist/ from functions/)`);
  return settings;
}

function readProfiles(distDir: string): Record<string, ResolvedProfile> {
  const file = join(distDir, 'profiles.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run make build first`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, ResolvedProfile>;
}

/** The most producers any of the customers' profiles runs at once (a customer without one has the default profile's, as on AWS). */
function producersOf(profiles: Record<string, ResolvedProfile>, customers: readonly string[]): number {
  return Math.max(1, ...customers.map((customer) => (profiles[customer] ?? profiles[DEFAULT_PROFILE])?.concurrency.producers ?? 1));
}

/**
 * The Parameter Store entries Terraform writes on AWS, from the same
 * resolved profiles, plus tokens and URLs. A customer without a profile of
 * its own gets the default one, as on AWS (see getCustomerProfile).
 */
function publishParameters(ssm: SsmEndpoint, profiles: Record<string, ResolvedProfile>, options: LocalRuntimeOptions): void {
  for (const [name, profile] of Object.entries(profiles)) ssm.put(parameterNames.profile(LOCAL_PARAMETER_PREFIX, name), JSON.stringify(profile), 'String');
  for (const [customer, token] of Object.entries(options.targetTokens ?? {}))
    ssm.put(parameterNames.targetToken(LOCAL_PARAMETER_PREFIX, customer), token, 'SecureString');
  if (options.targetUrl) ssm.put(parameterNames.targetUrl(LOCAL_PARAMETER_PREFIX), options.targetUrl, 'String');
  if (options.legacyDbUrl) ssm.put(parameterNames.legacyDbUrl(LOCAL_PARAMETER_PREFIX), options.legacyDbUrl, 'SecureString');
}
