/**
 * Defaults of the embedded local runtime. Ports are fixed on purpose: fauxqs
 * writes its port into every queue URL it creates, and those URLs are
 * persisted under the data directory, so a restart must come back on the same
 * port (a data directory created on another port is refused, see
 * tooling/cli/local-state.ts).
 */

/** Region every local resource lives in (the project's AWS region). */
export const LOCAL_REGION = 'eu-west-1';

/** Account id in local ARNs; fauxqs uses the same one in queue URLs and ARNs. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Host the local endpoints listen on and (except SQS, see localhost-dns.ts) are addressed by. An IP, not `localhost`: see runtime-env.ts (S3 path-style). */
export const LOCAL_HOST = '127.0.0.1';

/** Where emulator state lives unless told otherwise (git-ignored). */
export const DEFAULT_DATA_DIR = '.local/runtime';

/** The file in a runtime's data folder where the functions' metrics go, one EMF document a line (tooling/local/metrics-log.ts). */
export const METRICS_LOG_FILE = 'metrics.jsonl';

/**
 * First of the five ports of the local runtime, in this order: fauxqs (SQS +
 * S3), dynalite (DynamoDB), Parameter Store, Lambda, Step Functions. Away
 * from 4566 (LocalStack's own port) and from the ports common tools use;
 * LOCAL_BASE_PORT moves the whole range.
 */
export const DEFAULT_BASE_PORT = 47_560;

/** How many consecutive ports from the base port the runtime listens on. */
export const LOCAL_PORT_COUNT = 5;

/** fauxqs (SQS + S3). */
export const DEFAULT_FAUXQS_PORT = DEFAULT_BASE_PORT;

/** dynalite (DynamoDB). */
export const DEFAULT_DYNALITE_PORT = DEFAULT_BASE_PORT + 1;

/** Local Parameter Store endpoint. */
export const DEFAULT_SSM_PORT = DEFAULT_BASE_PORT + 2;

/** Local Lambda Invoke endpoint. */
export const DEFAULT_LAMBDA_PORT = DEFAULT_BASE_PORT + 3;

/** Local Step Functions endpoint. */
export const DEFAULT_SFN_PORT = DEFAULT_BASE_PORT + 4;

/** Credentials the emulators accept; the SDK only needs something to sign with. */
export const FAKE_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Lambda's own defaults for a function nobody tuned. */
export const LAMBDA_DEFAULTS = {
  timeoutSeconds: 3,
  memorySizeMb: 128,
  /** Instances one function may run at once locally (reserved concurrency). */
  concurrency: 10,
  handler: 'handler',
  /**
   * Seconds an instance may sit idle before its thread ends, unless it is its
   * function's last, as Lambda reclaims execution environments nobody invoked for
   * a while (minutes, undocumented). Here every instance is a thread of one
   * process: the producer instances a busy stretch of a run needed (12 at
   * SCALE=200) would otherwise hold their heaps to the end of a two-hour run.
   * Two minutes: a run of a few minutes (the e2e files) rarely meets it.
   */
  idleSeconds: 120,
} as const;

/** Lambda's synchronous invocation payload limit, request and response alike. */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Time Lambda gives the init phase (module import); an init still running then goes on under the function's timeout. */
export const INIT_TIMEOUT_MS = 10_000;

/** SQS event source limits that hold for FIFO queues (and the engine's standard ones). */
export const SQS_EVENT_SOURCE = {
  maxBatchSize: 10,
  minMaximumConcurrency: 2,
  defaultBatchSize: 10,
  defaultMaximumConcurrency: 2,
  /** Long-poll wait per ReceiveMessage; short so stop() returns quickly. */
  defaultWaitTimeSeconds: 1,
  /** How long a poller keeps topping up a batch after the first message came. */
  defaultBatchWindowMs: 50,
  /** Pause after a failed ReceiveMessage before trying again. */
  errorBackoffMs: 1_000,
} as const;

/** Step Functions' hard quota of history events per execution (standard workflows). */
export const MAX_HISTORY_EVENTS = 25_000;

/** Step Functions' hard quota on an execution's input and on each state's input and output, UTF-8 bytes. */
export const MAX_STATE_DATA_BYTES = 256 * 1024;

/** SQS's quota on one message and on one SendMessageBatch request (all bodies and attributes), bytes. */
export const MAX_SQS_MESSAGE_BYTES = 256 * 1024;

/** DynamoDB's quota on one item (attribute names and values), bytes. */
export const MAX_DYNAMODB_ITEM_BYTES = 400 * 1024;

/**
 * The queue backlog (messages per collection) from which producers hold on
 * the embedded runtime, unless QUEUE_BACKLOG says otherwise. Producers,
 * consumers and the emulators share this machine's cores (dynalite and
 * fauxqs one thread): a queue far ahead of the consumers only takes their
 * time and memory. At SCALE=200 with the AWS default (100,000), the
 * work-order producers queued 230,000 records in two minutes while the
 * consumers timed out at 60 s and moved 1.6 to 6 records/s. 2,000 messages
 * (about 20,000 records) is still a minute of the consumers' work ahead.
 */
export const LOCAL_QUEUE_BACKLOG = 2_000;

/**
 * Consumer instances the local runtime runs at most (CONCURRENCY): each is a
 * worker thread of this one process with its own copy of the bundle, so
 * beyond a few dozen they only add memory and context switches.
 */
export const LOCAL_MAX_CONSUMERS = 32;
