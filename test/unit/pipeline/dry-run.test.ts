import { expect } from 'chai';
import { dryRunTargetId } from '../../../src/pipeline/dry-run.ts';
import type { IdRange } from '../../../src/pipeline/types.ts';
import { aConsumer } from '../../helpers/consumer-harness.ts';
import { aContractor, anAddress, anAssignment, aProject } from '../../helpers/legacy-rows.ts';
import { aProducer } from '../../helpers/producer-harness.ts';
import { aQueuedRecord, aQueueMessage, CUSTOMER, refOf, RUN_ID } from '../../helpers/queue-messages.ts';

const DRY = { dryRun: true } as const;
const address = (id: number, overrides = {}) => aQueuedRecord('addresses', { ...anAddress({ id, ...overrides }) });

/** A consumer whose customer's latest dry run is `run-1` (its latest real run is another). */
function aDryConsumer() {
  const harness = aConsumer();
  harness.runs.latest.set(CUSTOMER, 'run-0');
  harness.runs.latestDry.set(CUSTOMER, RUN_ID);
  return harness;
}

describe('a dry run on in-memory fakes', () => {
  describe('Consumer.deliver', () => {
    it('maps and validates without any call to the target, and writes the outcomes to the dry namespace only', async () => {
      const { consumer, ledger, runs, target, limiter } = aDryConsumer();
      const records = [
        aQueuedRecord('contractors', { ...aContractor({ id: 5 }) }),
        aQueuedRecord('contractors', { ...aContractor({ id: 6, email: 'not an address' }) }),
      ];

      const result = await consumer.deliver(aQueueMessage('contractors', records, DRY), 1);

      expect(result).to.deep.equal({ stale: false, migrated: 1, updated: 0, unchanged: 0, failed: 1, skipped: 0, retry: 0 });
      expect(target.requests, 'no request at all reaches the target').to.deep.equal([]);
      expect(limiter.acquired, 'no target rate to respect').to.equal(0);
      expect(ledger.realEntries(), 'the real ledger is untouched').to.deep.equal([]);
      const dry = ledger.forDryRun(RUN_ID);
      expect(dry.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({
        status: 'migrated',
        targetId: dryRunTargetId(refOf('contractors', 5)),
        runId: RUN_ID,
      });
      expect(dry.entry(CUSTOMER, 'contractors', refOf('contractors', 6))).to.include({ status: 'failed', code: 'invalid_value', field: 'email' });
      expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 1, updated: 0, unchanged: 0, failed: 1, skipped: 0 });
    });

    it("finds the second of two equal addresses of a project itself, also in a later message of the group, as the target's duplicate_address would", async () => {
      const { consumer, ledger, target } = aDryConsumer();
      ledger.seed({ customer: CUSTOMER, collection: 'projects', externalRef: refOf('projects', 1), status: 'migrated', runId: 'run-0', targetId: 'prj_1' });

      await consumer.deliver(aQueueMessage('connections', [address(11), address(12, { house_number: 13 })], DRY), 1);
      // The same address as 11, written as the mapper normalises it (postcode with a space, letter case as sent).
      await consumer.deliver(aQueueMessage('connections', [address(14, { postcode: '9711 ab' })], DRY), 1);

      expect(target.requests).to.deep.equal([]);
      const dry = ledger.forDryRun(RUN_ID);
      expect(dry.entry(CUSTOMER, 'connections', refOf('addresses', 11))).to.include({ status: 'migrated' });
      expect(dry.entry(CUSTOMER, 'connections', refOf('addresses', 12))).to.include({ status: 'migrated' });
      expect(dry.entry(CUSTOMER, 'connections', refOf('addresses', 14))).to.include({ status: 'failed', code: 'duplicate' });
      expect(ledger.realEntries().map((entry) => entry.externalRef)).to.deep.equal([refOf('projects', 1)]);
    });

    it('does not take a record that fails its mapping as the holder of its address: the next equal address would be migrated', async () => {
      const { consumer, ledger } = aDryConsumer();
      ledger.seed({ customer: CUSTOMER, collection: 'projects', externalRef: refOf('projects', 1), status: 'migrated', runId: 'run-0', targetId: 'prj_1' });

      await consumer.deliver(aQueueMessage('connections', [address(11, { street: '' }), address(12)], DRY), 1);

      const dry = ledger.forDryRun(RUN_ID);
      expect(dry.entry(CUSTOMER, 'connections', refOf('addresses', 11))).to.include({ status: 'failed', code: 'invalid_value', field: 'address.street' });
      expect(dry.entry(CUSTOMER, 'connections', refOf('addresses', 12))).to.include({ status: 'migrated' });
    });

    it('resolves parents from its own namespace first, then from the real ledger: would-be-migrated gives a placeholder id, would-fail gives parent_failed', async () => {
      const { consumer, ledger, target } = aDryConsumer();
      const dry = ledger.forDryRun(RUN_ID);
      // Migrated by an earlier real run, not touched by the dry run.
      ledger.seed({
        customer: CUSTOMER,
        collection: 'connections',
        externalRef: refOf('addresses', 10),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'con_10',
      });
      // Would be migrated by the dry run: its placeholder id.
      dry.seed({
        customer: CUSTOMER,
        collection: 'connections',
        externalRef: refOf('addresses', 20),
        status: 'migrated',
        runId: RUN_ID,
        targetId: dryRunTargetId(refOf('addresses', 20)),
      });
      // Failed in a real run, but would be migrated now: the dry entry wins.
      ledger.seed({
        customer: CUSTOMER,
        collection: 'connections',
        externalRef: refOf('addresses', 30),
        status: 'failed',
        runId: 'run-0',
        code: 'invalid_value',
        message: 'bad',
      });
      dry.seed({
        customer: CUSTOMER,
        collection: 'connections',
        externalRef: refOf('addresses', 30),
        status: 'migrated',
        runId: RUN_ID,
        targetId: dryRunTargetId(refOf('addresses', 30)),
      });
      // Would fail in the dry run.
      dry.seed({
        customer: CUSTOMER,
        collection: 'connections',
        externalRef: refOf('addresses', 40),
        status: 'failed',
        runId: RUN_ID,
        code: 'duplicate',
        message: 'same address',
      });
      const records = [10, 20, 30, 40].map((addressId) => aQueuedRecord('assignments', { ...anAssignment({ id: addressId * 10, address_id: addressId }) }));
      ledger.seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 5),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'cnt_5',
      });

      const result = await consumer.deliver(aQueueMessage('work-orders', records, DRY), 1);

      expect(target.requests).to.deep.equal([]);
      expect(result).to.include({ migrated: 3, failed: 1 });
      expect(dry.entry(CUSTOMER, 'work-orders', refOf('assignments', 100))).to.include({ status: 'migrated' });
      expect(dry.entry(CUSTOMER, 'work-orders', refOf('assignments', 200))).to.include({ status: 'migrated' });
      expect(dry.entry(CUSTOMER, 'work-orders', refOf('assignments', 300))).to.include({ status: 'migrated' });
      expect(dry.entry(CUSTOMER, 'work-orders', refOf('assignments', 400))).to.include({ status: 'failed', code: 'parent_failed', field: 'connectionId' });
      expect(ledger.entry(CUSTOMER, 'work-orders', refOf('assignments', 100)), 'nothing in the real ledger').to.equal(undefined);
    });

    it("keeps real and dry runs apart: a dry message of the latest dry run is not stale while a real run is the latest, and an older dry run's is", async () => {
      const { consumer, ledger, target } = aDryConsumer();

      expect(await consumer.deliver(aQueueMessage('projects', [aQueuedRecord('projects', { ...aProject({ id: 1 }) })], DRY), 1)).to.include({
        stale: false,
        migrated: 1,
      });
      expect(
        await consumer.deliver(aQueueMessage('projects', [aQueuedRecord('projects', { ...aProject({ id: 2 }) })], { ...DRY, runId: 'dry-older' }), 1),
      ).to.include({ stale: true });
      expect(
        await consumer.deliver(aQueueMessage('projects', [aQueuedRecord('projects', { ...aProject({ id: 3 }) })], { runId: 'run-0' }), 1),
        'the real run is still the latest',
      ).to.include({ stale: false });
      expect(target.requests.map((request) => request.method)).to.deep.equal(['POST']);
      expect(ledger.realEntries().map((entry) => entry.externalRef)).to.deep.equal([refOf('projects', 3)]);
    });
  });

  describe('Producer.produce', () => {
    const RANGE: IdRange = { id: 'r0', afterId: 0, lastId: 5 };

    it('queues what a real run would queue, with the dry flag, and marks it in its own namespace only: the real ledger is never written', async () => {
      const { producer, ledger, runs, sqs, scope, calls } = aProducer([1, 2, 3, 4, 5].map((id) => ({ ...aContractor({ id }) })));
      ledger.seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 2),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'cnt_2',
      });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 3),
        status: 'failed',
        runId: 'run-0',
        code: 'invalid_value',
        message: 'bad',
      });
      const before = structuredClone(ledger.realEntries());

      await producer.produce(scope('contractors', { sourceBatchSize: 10, dryRun: true }), RANGE, { done: false }, Number.POSITIVE_INFINITY);

      expect(sqs.records).to.deep.equal([1, 3, 4, 5].map((id) => refOf('contractors', id)));
      expect(sqs.sent.every((message) => message.body.dryRun === true)).to.equal(true);
      expect(runs.rangeTotals(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ source: 5, alreadyMigrated: 1, queued: 4 });
      expect(ledger.realEntries(), 'the real ledger exactly as it was').to.deep.equal(before);
      expect(
        calls.filter((call) => call.startsWith('markQueued')),
        'no real markQueued',
      ).to.deep.equal([]);
      expect(ledger.dryEntries(RUN_ID).map((entry) => [entry.externalRef, entry.status])).to.deep.equal(
        [1, 3, 4, 5].map((id) => [refOf('contractors', id), 'queued']),
      );
    });

    it('on a retried page sends nothing again that the dry run already answered', async () => {
      const { producer, ledger, sqs, scope } = aProducer([1, 2].map((id) => ({ ...aContractor({ id }) })));
      ledger.forDryRun(RUN_ID).seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 1),
        status: 'migrated',
        runId: RUN_ID,
        targetId: dryRunTargetId(refOf('contractors', 1)),
      });

      await producer.produce(scope('contractors', { sourceBatchSize: 10, dryRun: true }), RANGE, { done: false }, Number.POSITIVE_INFINITY);

      expect(sqs.records).to.deep.equal([refOf('contractors', 2)]);
    });
  });
});
