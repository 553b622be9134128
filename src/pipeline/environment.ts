import { COLLECTIONS } from '../domain/constants.ts';
import { InvalidInputError } from '../domain/errors.ts';
import type { Collection } from '../domain/types.ts';

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
  const maxReceiveCount = Number(env.MAX_RECEIVE_COUNT ?? '5');
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
