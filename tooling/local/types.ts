import type { MetricsLog } from './metrics-log.ts';
import type { RunTimeline } from './timeline.ts';
/** Types shared by the parts of the embedded local runtime. */

/** Options of {@link LocalEmulators.start}. */
export interface EmulatorOptions {
  /** Root of the persisted state (dynalite LevelDB, fauxqs SQLite, S3 files). Default `.local/runtime`. */
  dataDir?: string;
  /** fauxqs port (SQS + S3). Fixed: queue URLs keep it. Default DEFAULT_FAUXQS_PORT (47560); 0 is refused. */
  fauxqsPort?: number;
  /** dynalite port (DynamoDB). Default DEFAULT_DYNALITE_PORT (47561). */
  dynalitePort?: number;
  /** Where each DynamoDB request's span goes, by operation (`make bench`'s timeline). */
  timeline?: RunTimeline;
}

/** Where the started emulators answer. */
export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
  s3: string;
}

/** Endpoints a handler reaches AWS through (the AWS_ENDPOINT_URL_* variables). */
export interface ServiceEndpoints extends EmulatorEndpoints {
  ssm: string;
  lambda: string;
  sfn: string;
}

/** Parameter Store types; SecureString is served decrypted only WithDecryption. */
export type ParameterType = 'String' | 'StringList' | 'SecureString';

/** One Parameter Store entry. */
export interface ParameterValue {
  value: string;
  type: ParameterType;
}

/** Options of {@link SsmEndpoint}. */
export interface SsmEndpointOptions {
  /** Initial parameters, name → value. More can be put later. */
  parameters?: Record<string, ParameterValue>;
  /** Default DEFAULT_SSM_PORT (47562); 0 picks a free port. */
  port?: number;
  region?: string;
  accountId?: string;
}

/** How the local Lambda endpoint runs one function. */
export interface LocalFunctionConfig {
  /** Absolute path of the ESM bundle, e.g. `dist/consumer/index.mjs`. */
  bundlePath: string;
  /** Exported handler name. Default `handler`. */
  handler?: string;
  /** Default 3 (Lambda's default). */
  timeoutSeconds?: number;
  /** Default 128; only reported to the handler (context, env). */
  memorySizeMb?: number;
  /** Instances that may run at once (reserved concurrency); extra invocations queue. Default 10. */
  concurrency?: number;
  /** Seconds an instance may sit idle before it is reclaimed (its thread ends), unless it is the function's last. Default 120 (LAMBDA_DEFAULTS.idleSeconds). */
  idleSeconds?: number;
  /** The function's environment; the worker sees exactly this plus Lambda's reserved variables. */
  environment?: Record<string, string>;
}

/** Options of {@link LambdaEndpoint}. */
export interface LambdaEndpointOptions {
  /** Functions by name. */
  functions: Record<string, LocalFunctionConfig>;
  /** Default DEFAULT_LAMBDA_PORT (47563); 0 picks a free port. */
  port?: number;
  region?: string;
  accountId?: string;
  /** Where each invocation's span goes (`make bench`'s timeline). */
  timeline?: RunTimeline;
  /** Where the EMF lines the functions write on stdout go (CloudWatch metrics on AWS); none: their stdout is this process's. */
  metricsLog?: MetricsLog;
}

/** What Lambda answers a synchronous invocation with. */
export interface InvokeResult {
  requestId: string;
  /** The response payload: the handler's result, or the error document. */
  payload: unknown;
  /** Set when the function failed (handler error, timeout, crash), as in the SDK's InvokeCommand output. */
  functionError?: 'Unhandled';
}

/** Anything that invokes a function by name: the Lambda endpoint in-process, or a client. */
export interface LambdaInvoker {
  invoke(functionName: string, event: unknown): Promise<InvokeResult>;
  /** The function's timeout, when known: an event source checks the queue's visibility timeout against it. */
  timeoutSecondsOf?(functionName: string): number | undefined;
}

/** The error document Lambda returns for a failed invocation. */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** Static data a worker needs to load a function. */
export interface WorkerData {
  bundlePath: string;
  handler: string;
  /** Send the EMF lines the function writes on stdout to the main thread (a {@link WorkerMessage} `metrics`) instead of printing them. */
  metrics?: boolean;
}

/** The per-invocation part of the Lambda context, sent to the worker. */
export interface InvocationContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch milliseconds at which the invocation times out. */
  deadlineMs: number;
}

/** Parent → worker. */
export interface WorkerRequest {
  /** The event as JSON text, exactly as Invoke received it. */
  payload: string;
  context: InvocationContext;
}

/** Worker → parent. */
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'init-error'; error: FunctionErrorPayload }
  | { kind: 'result'; payload: string }
  | { kind: 'error'; error: FunctionErrorPayload }
  /** One EMF line the function wrote on stdout, posted before the invocation's result: when the result arrives, its metrics are in. */
  | { kind: 'metrics'; line: string };

/** One SQS event source mapping. */
export interface EventSourceMapping {
  queueUrl: string;
  functionName: string;
  /** Messages per invocation, 1–10. Default 10. */
  batchSize?: number;
  /** Invocations at once for this mapping, ≥ 2 (Lambda's floor). Default 2. */
  maximumConcurrency?: number;
  /** `FunctionResponseTypes: ['ReportBatchItemFailures']`. Default true. */
  reportBatchItemFailures?: boolean;
}

/** Where the poller reports what it cannot throw (it runs in the background). */
export interface PollerLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** Options of {@link SqsEventSourcePoller}. */
export interface EventSourcePollerOptions {
  /** SQS endpoint (fauxqs). */
  sqsEndpoint: string;
  invoker: LambdaInvoker;
  mappings: EventSourceMapping[];
  region?: string;
  /** Long-poll wait per ReceiveMessage. Default 1 s; stop() waits up to this long. */
  waitTimeSeconds?: number;
  /** How long to keep topping up a batch after its first message. Default 50 ms. */
  batchWindowMs?: number;
  logger?: PollerLogger;
  /** Where each message's time in its queue goes (sent to handed to the function; `make bench`'s timeline). */
  timeline?: RunTimeline;
}
