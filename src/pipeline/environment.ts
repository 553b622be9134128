import { type Collection, COLLECTIONS, InvalidInputError } from '../domain/index.ts';

/** Names of the resources a handler works with, from its environment (Terraform or the local runtime sets them). */
export interface EngineEnvironment {
  ledgerTable: string;
  runsTable: string;
  rateLimitTable: string;
  bucket: string;
  /** FIFO queue URL per collection. */
  queueUrls: Record<Collection, string>;
  /** Dead-letter queue URL per collection. */
  deadLetterQueueUrls: Record<Collection, string>;
  /** Deliveries of one message before SQS dead-letters it (the queues' maxReceiveCount). */
  maxReceiveCount: number;
  /** Days a dry run's ledger entries are kept (their `expiresAt`, DynamoDB TTL); RETENTION_DAYS, default {@link DEFAULT_RETENTION_DAYS}. */
  retentionDays: number;
}

/** Days reports, failed payloads and dry-run data are kept when the stage does not say (Terraform's `retention_days` default). */
export const DEFAULT_RETENTION_DAYS = 90;

/** Deliveries of one message before SQS dead-letters it, when MAX_RECEIVE_COUNT is not set. */
const DEFAULT_MAX_RECEIVE_COUNT = 5;

/** One environment variable the functions read. */
export interface FunctionVariable {
  readonly name: string;
  /** Who reads it when not the engine's own code. */
  readonly readBy?: string;
  /** Its value when not set. */
  readonly default?: string;
  /** One line: what it holds. */
  readonly description: string;
}

/**
 * Every environment variable the functions read, defined once: the code
 * reads no other (a test scans src/ and functions/), Terraform
 * (terraform/modules/functions) sets each on a stage and the local runtime
 * (tooling/local/runtime.ts) locally (static checks compare both), and
 * docs/environment-variables.md lists them (make docs). The AWS SDK reads
 * its own (AWS_REGION, credentials; AWS_ENDPOINT_URL_<SERVICE> locally).
 */
export const FUNCTION_VARIABLES = [
  { name: 'LEDGER_TABLE', description: 'the ledger table (DynamoDB)' },
  { name: 'RUNS_TABLE', description: 'the run table (DynamoDB): runs, their counters, locks and restore debt' },
  { name: 'RATE_LIMIT_TABLE', description: "the table of the customers' shared rate limits (DynamoDB)" },
  { name: 'BUCKET', description: 'the bucket of reports, document claim checks, failed payloads and dead letters (S3)' },
  { name: 'QUEUE_URLS', description: 'JSON: the FIFO queue URL of each collection' },
  { name: 'DEAD_LETTER_QUEUE_URLS', description: 'JSON: the dead-letter queue URL of each collection' },
  {
    name: 'MAX_RECEIVE_COUNT',
    default: String(DEFAULT_MAX_RECEIVE_COUNT),
    description: "the queues' maxReceiveCount: the consumer records transient_exhausted on the last delivery",
  },
  {
    name: 'RETENTION_DAYS',
    default: String(DEFAULT_RETENTION_DAYS),
    description: "days a dry run's ledger entries are kept (their expiresAt, DynamoDB TTL), 1 to 3650",
  },
  { name: 'PARAMETER_PREFIX', description: 'where the Parameter Store entries are (/fiberplan-migration/<stage>): profiles, tokens, URLs' },
  { name: 'POWERTOOLS_SERVICE_NAME', description: "the handler's name in its log lines (the function's folder under functions/)" },
  { name: 'POWERTOOLS_METRICS_NAMESPACE', description: "the namespace of the engine's metrics (EMF lines): the stack's name prefix" },
  { name: 'POWERTOOLS_LOG_LEVEL', readBy: 'Powertools', description: 'the level of the log lines (WARN locally)' },
  { name: 'NODE_OPTIONS', readBy: 'Node.js', description: '--enable-source-maps: stack traces name the TypeScript source' },
] as const satisfies readonly FunctionVariable[];

// The names are plain strings: the static IAM check (tooling/static/aws-calls.ts) would read a union type of names as every one of them.
function required(name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (!value) throw new InvalidInputError(`environment variable ${name} is not set`, { input: name, issue: 'missing' });
  return value;
}

function queueMap(name: string, env: NodeJS.ProcessEnv): Record<Collection, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(required(name, env));
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`${name} is not JSON`, { input: name, issue: 'not JSON' });
  }
  const map = parsed as Record<string, unknown>;
  for (const collection of COLLECTIONS) {
    if (typeof map[collection] !== 'string') throw new InvalidInputError(`${name} has no queue URL for ${collection}`, { input: name, issue: collection });
  }
  return map as Record<Collection, string>;
}

/** Reads and checks the environment once, at module scope of a handler. */
export function readEngineEnvironment(env: NodeJS.ProcessEnv = process.env): EngineEnvironment {
  const maxReceiveCount = Number(env.MAX_RECEIVE_COUNT ?? DEFAULT_MAX_RECEIVE_COUNT);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) {
    throw new InvalidInputError('MAX_RECEIVE_COUNT must be a whole number of at least 1', { input: 'MAX_RECEIVE_COUNT', issue: String(env.MAX_RECEIVE_COUNT) });
  }
  const retentionDays = Number(env.RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS);
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) {
    throw new InvalidInputError('RETENTION_DAYS must be a whole number of days from 1 to 3650', { input: 'RETENTION_DAYS', issue: String(env.RETENTION_DAYS) });
  }
  return {
    ledgerTable: required('LEDGER_TABLE', env),
    runsTable: required('RUNS_TABLE', env),
    rateLimitTable: required('RATE_LIMIT_TABLE', env),
    bucket: required('BUCKET', env),
    queueUrls: queueMap('QUEUE_URLS', env),
    deadLetterQueueUrls: queueMap('DEAD_LETTER_QUEUE_URLS', env),
    maxReceiveCount,
    retentionDays,
  };
}
