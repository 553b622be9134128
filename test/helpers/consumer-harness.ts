/** A consumer wired to in-memory fakes only: ledger, run table, bucket, FiberConnect and rate limiter. */
import defaultProfile from '../../profiles/default.json' with { type: 'json' };
import { resolveProfile } from '../../src/profile/resolve-profile.ts';
import { Consumer } from '../../src/pipeline/consumer.ts';
import { FakeFiberConnect } from './fake-fiberconnect.ts';
import { FakeLedger } from './fake-ledger.ts';
import { FakeObjectStore } from './fake-object-store.ts';
import { FakeRateLimiter } from './fake-rate-limiter.ts';
import { FakeRunStore } from './fake-run-store.ts';
import { CUSTOMER, RUN_ID } from './queue-messages.ts';

export interface ConsumerHarness {
  consumer: Consumer;
  ledger: FakeLedger;
  runs: FakeRunStore;
  store: FakeObjectStore;
  target: FakeFiberConnect;
  limiter: FakeRateLimiter;
}

/** A consumer whose customer's latest run is `run-1`; SQS dead-letters after `maxReceiveCount` deliveries. */
export function aConsumer(options: { maxReceiveCount?: number } = {}): ConsumerHarness {
  const ledger = new FakeLedger();
  const runs = new FakeRunStore();
  runs.latest.set(CUSTOMER, RUN_ID);
  const store = new FakeObjectStore();
  const target = new FakeFiberConnect();
  const limiter = new FakeRateLimiter();
  const profile = resolveProfile(CUSTOMER, (name) => (name === 'default' ? defaultProfile : undefined));
  const consumer = new Consumer({
    ledger,
    runs,
    store,
    targetClient: async () => target,
    targetLimiter: () => limiter,
    profile: async () => profile,
    maxReceiveCount: options.maxReceiveCount ?? 3,
    retryDelayMs: 0,
  });
  return { consumer, ledger, runs, store, target, limiter };
}
