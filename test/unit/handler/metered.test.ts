import { expect } from 'chai';
import sinon from 'sinon';
import { Metrics } from '@aws-lambda-powertools/metrics';
import defaultProfile from '../../../profiles/default.json' with { type: 'json' };
import { resolveProfile } from '../../../src/profile/resolve-profile.ts';
import { Consumer } from '../../../src/pipeline/consumer.ts';
import { TransientDeliveryError } from '../../../src/pipeline/errors.ts';
import { EngineMetrics } from '../../../src/handler/metrics.ts';
import { meteredRuns, meteredSender, meterSettled } from '../../../src/handler/metered.ts';
import { TargetError } from '../../../src/target/errors.ts';
import { created, FakeFiberConnect, refused } from '../../helpers/fake-fiberconnect.ts';
import { FakeLedger } from '../../helpers/fake-ledger.ts';
import { FakeObjectStore } from '../../helpers/fake-object-store.ts';
import { FakeRateLimiter } from '../../helpers/fake-rate-limiter.ts';
import { FakeRunStore } from '../../helpers/fake-run-store.ts';
import { aContractor } from '../../helpers/legacy-rows.ts';
import { aQueuedRecord, aQueueMessage, CUSTOMER, RUN_ID } from '../../helpers/queue-messages.ts';

/** The EMF lines written to stdout during the current test (other output passes through). */
let emitted: string[] = [];

/** The metric values written so far and by a last `publish`, summed per metric name over the EMF lines. */
function totals(metrics: EngineMetrics): Record<string, number> {
  metrics.publish();
  const sums: Record<string, number> = {};
  for (const line of emitted.join('').split('\n').filter(Boolean)) {
    const document = JSON.parse(line) as { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } } & Record<string, number>;
    for (const { Name } of document._aws.CloudWatchMetrics[0]!.Metrics) sums[Name] = (sums[Name] ?? 0) + document[Name]!;
  }
  return sums;
}

const contractor = (id: number) => aQueuedRecord('contractors', { ...aContractor({ id }) });

/** The consumer as functions/consumer wires it: its run table and FiberConnect client metered. */
function meteredConsumer(isDryRun: (runId: string) => boolean = () => false) {
  const metrics = new EngineMetrics(new Metrics({ namespace: 'fiberplan-migration-test', serviceName: 'consumer' }));
  const runs = new FakeRunStore();
  runs.latest.set(CUSTOMER, RUN_ID);
  runs.latestDry.set(CUSTOMER, RUN_ID);
  const target = new FakeFiberConnect();
  const profile = resolveProfile(CUSTOMER, (name) => (name === 'default' ? defaultProfile : undefined));
  const consumer = new Consumer({
    ledger: new FakeLedger(),
    runs: meteredRuns(runs, metrics, isDryRun),
    store: new FakeObjectStore(),
    targetClient: async (customer) => meteredSender(target, customer, metrics),
    targetLimiter: () => new FakeRateLimiter(),
    profile: async () => profile,
    maxReceiveCount: 3,
    retryDelayMs: 0,
  });
  return { consumer, metrics, runs, target };
}

describe("the consumer's metrics, counted where the live counters and FiberConnect are called (src/handler/metered.ts)", () => {
  let write: sinon.SinonStub | undefined;
  beforeEach(() => {
    emitted = [];
    const real = process.stdout.write.bind(process.stdout) as (chunk: string | Uint8Array) => boolean;
    write = sinon.stub(process.stdout, 'write').callsFake((chunk: string | Uint8Array) => {
      if (!String(chunk).startsWith('{"_aws"')) return real(chunk);
      emitted.push(String(chunk));
      return true;
    });
  });
  afterEach(() => write?.restore());

  it('writes the record counts as soon as the live counters took them: an invocation that times out afterwards (its last publish never runs) loses none', async () => {
    const metrics = new EngineMetrics(new Metrics({ namespace: 'fiberplan-migration-test', serviceName: 'consumer' }));
    await meteredRuns(new FakeRunStore(), metrics, () => false).addOutcomes(CUSTOMER, RUN_ID, 'contractors', { migrated: 3, skipped: 1 });
    const written = emitted.join('');
    expect(written, 'an EMF line before any publish of the handler').to.include('"RecordsMigrated":3');
    expect(written).to.include('"RecordsSkipped":1');
  });

  it('counts what the live counters took, also of a delivery that throws for its records still to retry, and every request and 429 sent', async () => {
    const { consumer, metrics, runs, target } = meteredConsumer();
    target.answer((request) =>
      (request.body as { externalRef: string }).externalRef.endsWith(':6') ? refused(429, 'rate_limited', { retryAfterSeconds: 0 }) : created({ id: 'cnt' }),
    );

    const delivery = consumer.deliver(aQueueMessage('contractors', [contractor(5), contractor(6), contractor(7)], { maxAttempts: 2 }), 1);
    await delivery.then(
      () => expect.fail('the delivery should leave contractor 6 for the next one'),
      (error: unknown) => expect(error).to.be.instanceOf(TransientDeliveryError),
    );

    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.include({ migrated: 2, failed: 0 });
    expect(totals(metrics)).to.deep.equal({
      RecordsMigrated: 2,
      RecordsUpdated: 0,
      RecordsFailed: 0,
      RecordsSkipped: 0,
      TargetRequests: 4,
      TargetThrottled: 2,
    });
  });

  it('counts a request that got no answer (a timeout, a dropped connection) as sent, not as throttled', async () => {
    const { consumer, metrics, target } = meteredConsumer();
    target.answer((_request, attempt) => {
      if (attempt === 1) throw new TargetError('socket hang up', { method: 'POST', path: '/v1/contractors' });
      return created({ id: 'cnt_5' });
    });

    await consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 1);

    expect(totals(metrics)).to.include({ RecordsMigrated: 1, TargetRequests: 2, TargetThrottled: 0 });
  });

  it("leaves a dry run's outcomes out: nothing of it reached FiberConnect", async () => {
    const { consumer, metrics, runs } = meteredConsumer((runId) => runId === RUN_ID);

    await consumer.deliver(aQueueMessage('contractors', [contractor(5)], { dryRun: true }), 1);

    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.include({ migrated: 1 });
    expect(totals(metrics)).to.deep.equal({});
  });

  it('counts nothing when the live counters refused the outcomes: the next delivery finds the records done and counts nothing either, as the counters', async () => {
    const metrics = new EngineMetrics(new Metrics({ namespace: 'fiberplan-migration-test', serviceName: 'consumer' }));
    const runs = new FakeRunStore();
    sinon.stub(runs, 'addOutcomes').rejects(new Error('ProvisionedThroughputExceededException'));

    const added = meteredRuns(runs, metrics, () => false).addOutcomes(CUSTOMER, RUN_ID, 'contractors', { migrated: 3 });

    await added.then(
      () => expect.fail('the write should fail'),
      (error: Error) => expect(error.message).to.equal('ProvisionedThroughputExceededException'),
    );
    expect(totals(metrics)).to.deep.equal({});
  });

  it("counts, when a report sets a run's live counters to the ledger, the outcomes the counters missed: a delivery that stopped between its ledger writes and its counters (a timed-out consumer) is in the metrics as in the report", () => {
    const metrics = new EngineMetrics(new Metrics({ namespace: 'fiberplan-migration-test', serviceName: 'report' }));
    const live = { migrated: 846, updated: 0, unchanged: 0, failed: 163, skipped: 1 };
    const ledger = { migrated: 860, updated: 0, unchanged: 0, failed: 167, skipped: 1 };

    meterSettled(metrics, { customer: CUSTOMER, runId: RUN_ID, dryRun: false }, [{ collection: 'work-order-updates', live, ledger }]);

    expect(totals(metrics)).to.deep.equal({ RecordsMigrated: 14, RecordsUpdated: 0, RecordsFailed: 4, RecordsSkipped: 0 });
  });

  it("counts nothing when a dry run's counters are set to the ledger: nothing of it reached FiberConnect", () => {
    const metrics = new EngineMetrics(new Metrics({ namespace: 'fiberplan-migration-test', serviceName: 'report' }));
    const live = { migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 };

    meterSettled(metrics, { customer: CUSTOMER, runId: RUN_ID, dryRun: true }, [{ collection: 'projects', live, ledger: { ...live, migrated: 2 } }]);

    expect(totals(metrics)).to.deep.equal({});
  });
});
