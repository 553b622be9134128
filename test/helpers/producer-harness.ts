/** A producer wired to in-memory fakes only: one sub-project database, registry, ledger, run table, bucket, SQS and rate limiter. */
import type { Collection } from '../../src/domain/types.ts';
import { Producer, type ProducerScope } from '../../src/pipeline/producer.ts';
import defaultProfile from '../../profiles/default.json' with { type: 'json' };
import { resolveProfile } from '../../src/profile/resolve-profile.ts';
import { effectiveSettings } from '../../src/pipeline/run-settings.ts';
import type { RunSettings } from '../../src/pipeline/types.ts';
import { FakeLedger } from './fake-ledger.ts';
import { FakeMysqlPool } from './fake-mysql-pool.ts';
import { FakeObjectStore } from './fake-object-store.ts';
import { FakeRateLimiter } from './fake-rate-limiter.ts';
import { FakeRunStore } from './fake-run-store.ts';
import { FakeSqs } from './fake-sqs.ts';
import { DATABASE } from './mapping-context.ts';
import { CUSTOMER, RUN_ID } from './queue-messages.ts';

export interface ProducerHarness {
  producer: Producer;
  pool: FakeMysqlPool;
  ledger: FakeLedger;
  runs: FakeRunStore;
  store: FakeObjectStore;
  sqs: FakeSqs;
  limiter: FakeRateLimiter;
  /** The collection's queue as the producer sees its depth: the `script` of depths in turn, then `messages`; `looks` counts the producer's looks. */
  queue: { messages: number; script: number[]; looks: number };
  /** Ledger, run table and SQS calls in the order they happened. */
  calls: string[];
  scope(collection: Collection, options?: Partial<RunSettings>): ProducerScope;
}

/** A producer over `rows` of one table in database `fp_demo_north`, whose settings hold one status map. */
export function aProducer(rows: readonly Record<string, unknown>[]): ProducerHarness {
  const calls: string[] = [];
  const pool = new FakeMysqlPool(rows);
  const ledger = new FakeLedger(calls);
  const runs = new FakeRunStore(calls);
  const store = new FakeObjectStore();
  const sqs = new FakeSqs(calls);
  const limiter = new FakeRateLimiter();
  const queue = { messages: 0, script: [] as number[], looks: 0 };
  const producer = new Producer({
    sourcePool: () => pool,
    registry: {
      readSettings: async () => [
        { name: 'status_map.projects', value: '{"actief":"IN_PROGRESS"}' },
        { name: 'locale', value: 'nl' },
      ],
    },
    ledger,
    runs,
    store,
    sqs,
    queueUrl: (collection) => `queue/${collection}.fifo`,
    queueDepth: async () => {
      queue.looks += 1;
      const messages = queue.script.shift() ?? queue.messages;
      return { visible: messages, inFlight: 0, delayed: 0, drained: messages === 0 };
    },
    sourceLimiter: () => limiter,
  });
  const base = effectiveSettings(resolveProfile(CUSTOMER, (name) => (name === 'default' ? defaultProfile : undefined)));
  return {
    producer,
    pool,
    ledger,
    runs,
    store,
    sqs,
    limiter,
    queue,
    calls,
    scope: (collection, options = {}) => ({ customer: CUSTOMER, runId: RUN_ID, database: DATABASE, collection, options: { ...base, ...options } }),
  };
}
