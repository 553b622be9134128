import { expect } from 'chai';
import { documentClaimKey } from '../../../src/pipeline/queue-message.ts';
import { TransientDeliveryError } from '../../../src/pipeline/errors.ts';
import { TargetError } from '../../../src/target/errors.ts';
import { created, refused } from '../../helpers/fake-fiberconnect.ts';
import { aContractor, aDocument, anAddress, anAssignment } from '../../helpers/legacy-rows.ts';
import { aConsumer } from '../../helpers/consumer-harness.ts';
import { aQueuedRecord, aQueueMessage, CUSTOMER, refOf, RUN_ID } from '../../helpers/queue-messages.ts';

const contractor = (id: number, overrides = {}) => aQueuedRecord('contractors', { ...aContractor({ id, ...overrides }) });

/** Runs a delivery that must throw TransientDeliveryError, and returns the error. */
async function expectTransient(delivery: Promise<unknown>): Promise<TransientDeliveryError> {
  try {
    await delivery;
  } catch (error) {
    expect(error).to.be.instanceOf(TransientDeliveryError);
    return error as TransientDeliveryError;
  }
  throw new Error('the delivery did not throw TransientDeliveryError');
}

describe('Consumer.deliver on in-memory fakes', () => {
  it('maps a record, sends it with an Idempotency-Key at the shared rate, and records it migrated with the target id', async () => {
    const { consumer, ledger, runs, target, limiter } = aConsumer();
    target.answer(() => created({ id: 'cnt_5' }));

    const result = await consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 1);

    expect(result).to.deep.equal({ stale: false, migrated: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0, retry: 0 });
    expect(target.requests).to.have.length(1);
    expect(target.requests[0]).to.include({ method: 'POST', path: '/v1/contractors' });
    expect(target.requests[0]!.idempotencyKey).to.match(/^[0-9a-f]{64}$/);
    expect(target.requests[0]!.body).to.include({ externalRef: refOf('contractors', 5), name: 'Graafwerk BV' });
    expect(limiter.acquired).to.equal(1);
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({ status: 'migrated', targetId: 'cnt_5', runId: RUN_ID });
    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 });
  });

  it("records a permanent failure once with its payload and the target's field, and does not retry it", async () => {
    const { consumer, ledger, runs, target } = aConsumer();
    target.answer(() => refused(422, 'validation_failed', { field: 'kvkNumber' }));

    const result = await consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 1);

    expect(result).to.include({ failed: 1, retry: 0 });
    expect(target.requests).to.have.length(1);
    const entry = ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))!;
    expect(entry).to.include({ status: 'failed', code: 'rejected_by_target', field: 'kvkNumber' });
    expect(JSON.parse(entry.payload!)).to.include({ id: 5, name: 'Graafwerk BV' });
    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 0, updated: 0, unchanged: 0, failed: 1, skipped: 0 });
  });

  it('fails a record the mapping refuses with its payload, without calling the target', async () => {
    const { consumer, ledger, target } = aConsumer();

    await consumer.deliver(aQueueMessage('contractors', [contractor(5, { email: 'not an address' })]), 1);

    expect(target.requests).to.have.length(0);
    const entry = ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))!;
    expect(entry).to.include({ status: 'failed', code: 'invalid_value', field: 'email' });
    expect(JSON.parse(entry.payload!)).to.include({ email: 'not an address' });
  });

  it('retries 5xx and dropped connections up to maxAttempts, then leaves the record for the next delivery without an outcome', async () => {
    const { consumer, ledger, runs, target } = aConsumer({ maxReceiveCount: 3 });
    target.answer((_request, attempt) => {
      if (attempt === 2) throw new TargetError('socket hang up', { method: 'POST', path: '/v1/contractors' });
      return refused(503, 'service_unavailable');
    });
    ledger.seed({ customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', 5), status: 'queued', runId: RUN_ID });

    const error = await expectTransient(consumer.deliver(aQueueMessage('contractors', [contractor(5)], { maxAttempts: 3 }), 1));

    expect(error.context).to.include({ collection: 'contractors', records: 1, receiveCount: 1 });
    expect(target.requests).to.have.length(3);
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({ status: 'queued' });
    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 });
  });

  it('records transient_exhausted with the payload on the last delivery, then still fails the message so SQS dead-letters it', async () => {
    const { consumer, ledger, runs, target } = aConsumer({ maxReceiveCount: 3 });
    target.answer(() => refused(503, 'service_unavailable'));

    await expectTransient(consumer.deliver(aQueueMessage('contractors', [contractor(5)], { maxAttempts: 2 }), 3));

    expect(target.requests).to.have.length(2);
    const entry = ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))!;
    expect(entry).to.include({ status: 'failed', code: 'transient_exhausted', runId: RUN_ID });
    expect(entry.message).to.match(/^503/);
    expect(JSON.parse(entry.payload!)).to.include({ id: 5 });
    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 0, updated: 0, unchanged: 0, failed: 1, skipped: 0 });
  });

  it("bounds each call to end by the delivery's deadline: the request carries the time left as its timeout", async () => {
    const { consumer, target } = aConsumer();
    target.answer(() => created({ id: 'cnt_5' }));
    const deadline = Date.now() + 5_000;

    await consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 1, deadline);

    expect(target.requests).to.have.length(1);
    expect(target.requests[0]!.timeoutMs).to.be.within(1, 5_000);
  });

  it('sends a message reached after the deadline back whole: no call, no ledger entry, no counter', async () => {
    const { consumer, ledger, runs, target } = aConsumer({ maxReceiveCount: 3 });
    target.answer(() => created({ id: 'cnt_5' }));

    const error = await expectTransient(
      consumer.deliver(aQueueMessage('contractors', [contractor(5), contractor(6, { email: 'not an address' })]), 1, Date.now() - 1),
    );

    expect(error.message).to.match(/ran out of time/);
    expect(target.requests).to.have.length(0);
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.equal(undefined);
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 6))).to.equal(undefined);
    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 });
  });

  it('still writes transient_exhausted on the last delivery reached after the deadline, so the dead-lettered records are in the report', async () => {
    const { consumer, ledger, target } = aConsumer({ maxReceiveCount: 3 });
    target.answer(() => created({ id: 'cnt_5' }));

    await expectTransient(consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 3, Date.now() - 1));

    expect(target.requests).to.have.length(0);
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({
      status: 'failed',
      code: 'transient_exhausted',
      message: 'not tried: the delivery ran out of time',
    });
  });

  it('does not call the target again on redelivery for records that already have a final outcome in this run', async () => {
    const { consumer, ledger, runs, target } = aConsumer();
    ledger.seed({ customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', 1), status: 'migrated', runId: RUN_ID, targetId: 'cnt_1' });
    ledger.seed({
      customer: CUSTOMER,
      collection: 'contractors',
      externalRef: refOf('contractors', 2),
      status: 'failed',
      runId: RUN_ID,
      code: 'rejected_by_target',
      message: '422',
    });
    ledger.seed({ customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', 3), status: 'queued', runId: RUN_ID });
    target.answer(() => created({ id: 'cnt_3' }));

    const result = await consumer.deliver(aQueueMessage('contractors', [contractor(1), contractor(2), contractor(3)]), 2);

    expect(target.requests.map((r) => (r.body as { externalRef: string }).externalRef)).to.deep.equal([refOf('contractors', 3)]);
    expect(result).to.include({ migrated: 1, failed: 0 });
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 1))).to.include({ status: 'migrated', targetId: 'cnt_1' });
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 2))).to.include({ status: 'failed', code: 'rejected_by_target' });
    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 });
  });

  it("tries a redriven message's transient_exhausted records again, and the live counters move the record from failed to migrated", async () => {
    const { consumer, ledger, runs, target } = aConsumer();
    // What the last delivery before the dead-letter queue left: the record failed, counted once as failed.
    ledger.seed({
      customer: CUSTOMER,
      collection: 'contractors',
      externalRef: refOf('contractors', 5),
      status: 'failed',
      runId: RUN_ID,
      code: 'transient_exhausted',
      message: '503 service unavailable',
    });
    await runs.addOutcomes(CUSTOMER, RUN_ID, 'contractors', { failed: 1 });
    target.answer(() => created({ id: 'cnt_5' }));

    const result = await consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 1);

    expect(target.requests).to.have.length(1);
    expect(result).to.include({ migrated: 1 });
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({ status: 'migrated', targetId: 'cnt_5', runId: RUN_ID });
    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 });
  });

  it('counts a redriven record that is exhausted again once as failed, not twice', async () => {
    const { consumer, ledger, runs, target } = aConsumer({ maxReceiveCount: 1 });
    ledger.seed({
      customer: CUSTOMER,
      collection: 'contractors',
      externalRef: refOf('contractors', 5),
      status: 'failed',
      runId: RUN_ID,
      code: 'transient_exhausted',
      message: '503',
    });
    await runs.addOutcomes(CUSTOMER, RUN_ID, 'contractors', { failed: 1 });
    target.answer(() => refused(502, 'bad_gateway'));

    await expectTransient(consumer.deliver(aQueueMessage('contractors', [contractor(5)], { maxAttempts: 1 }), 1));

    expect(target.requests).to.have.length(1);
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({ status: 'failed', code: 'transient_exhausted' });
    expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ migrated: 0, updated: 0, unchanged: 0, failed: 1, skipped: 0 });
  });

  it("drops a message of a run that is no longer the customer's latest, without reading or writing anything", async () => {
    const { consumer, ledger, runs, target } = aConsumer();
    runs.latest.set(CUSTOMER, 'run-2');

    const result = await consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 1);

    expect(result).to.deep.equal({ stale: true, migrated: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, retry: 0 });
    expect(target.requests).to.have.length(0);
    expect(ledger.calls).to.deep.equal([]);
    expect(runs.counters.size).to.equal(0);
  });

  it('stops an ordered collection at its first transient failure, so no later record overtakes it', async () => {
    const { consumer, ledger, target } = aConsumer();
    ledger.seed({ customer: CUSTOMER, collection: 'projects', externalRef: refOf('projects', 1), status: 'migrated', runId: 'run-0', targetId: 'prj_1' });
    target.answer((request) =>
      (request.body as { address: { houseNumber: number } }).address.houseNumber === 2 ? refused(503, 'service_unavailable') : created({ id: 'con' }),
    );
    const records = [1, 2, 3].map((n) => aQueuedRecord('addresses', { ...anAddress({ id: 10 + n, house_number: n }) }));

    const error = await expectTransient(consumer.deliver(aQueueMessage('connections', records, { maxAttempts: 2 }), 1));

    expect(error.context.records).to.equal(2);
    expect(target.requests.map((r) => (r.body as { address: { houseNumber: number } }).address.houseNumber)).to.deep.equal([1, 2, 2]);
    expect(ledger.entry(CUSTOMER, 'connections', refOf('addresses', 11))).to.include({ status: 'migrated' });
    expect(ledger.entry(CUSTOMER, 'connections', refOf('addresses', 12))).to.equal(undefined);
    expect(ledger.entry(CUSTOMER, 'connections', refOf('addresses', 13))).to.equal(undefined);
  });

  it('adopts the existingId of a 409 duplicate_external_ref as migrated', async () => {
    const { consumer, ledger, target } = aConsumer();
    target.answer(() => refused(409, 'duplicate_external_ref', { existingId: 'cnt_old' }));

    const result = await consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 1);

    expect(result).to.include({ migrated: 1, failed: 0 });
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({ status: 'migrated', targetId: 'cnt_old' });
  });

  it('remembers what it wrote: created, the target version, the field hashes of the body and the source checksum', async () => {
    const { consumer, ledger, target } = aConsumer();
    target.answer(() => created({ id: 'cnt_5', version: 1 }));
    const record = contractor(5);

    await consumer.deliver(aQueueMessage('contractors', [record]), 1);

    const entry = ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))!;
    expect(entry).to.include({ origin: 'created', targetVersion: 1, migratedChecksum: record.checksum });
    expect(Object.keys(entry.fieldHashes!)).to.include('name');
    expect(entry.fieldHashes).to.not.have.property('externalRef');
  });

  it("reads an adopted record's current version once, so a later If-Match names the version it found", async () => {
    const { consumer, ledger, target, limiter } = aConsumer();
    target.answer((request) =>
      request.method === 'GET' ? created({ id: 'cnt_old', version: 4 }, 200) : refused(409, 'duplicate_external_ref', { existingId: 'cnt_old' }),
    );

    await consumer.deliver(aQueueMessage('contractors', [contractor(5)]), 1);

    expect(target.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /v1/contractors', 'GET /v1/contractors/cnt_old']);
    expect(limiter.acquired).to.equal(2);
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({
      status: 'migrated',
      origin: 'adopted',
      targetId: 'cnt_old',
      targetVersion: 4,
    });
  });

  it('sends a record that a rollback removed with a new Idempotency-Key, so the target does not replay the dead id', async () => {
    const keys: (string | undefined)[] = [];
    for (const record of [contractor(5), { ...contractor(5), generation: 1 }, contractor(5)]) {
      const { consumer, target } = aConsumer();
      target.answer(() => created({ id: 'cnt_5', version: 1 }));
      await consumer.deliver(aQueueMessage('contractors', [record]), 1);
      keys.push(target.requests[0]!.idempotencyKey);
    }

    expect(keys[1]).to.not.equal(keys[0]);
    expect(keys[2]).to.equal(keys[0]);
  });

  it("raises the work order's version to the one its work-order update left, so the work order's entry names the engine's latest write", async () => {
    const { consumer, ledger, target } = aConsumer();
    const workOrder = refOf('assignments', 100);
    ledger.seed({
      customer: CUSTOMER,
      collection: 'work-orders',
      externalRef: workOrder,
      status: 'migrated',
      runId: RUN_ID,
      targetId: 'wo_100',
      targetVersion: 1,
    });
    ledger.seed({ customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', 5), status: 'migrated', runId: RUN_ID, targetId: 'cnt_5' });
    target.answer(() => created({ id: 'wo_100', version: 2 }, 200));

    await consumer.deliver(aQueueMessage('work-order-updates', [aQueuedRecord('assignments', { ...anAssignment() })]), 1);

    expect(target.requests[0]).to.include({ method: 'PATCH', path: '/v1/work-orders/wo_100' });
    expect(ledger.entry(CUSTOMER, 'work-order-updates', workOrder)).to.include({ status: 'migrated', targetVersion: 2 });
    expect(ledger.entry(CUSTOMER, 'work-orders', workOrder)).to.include({ targetVersion: 2 });
  });

  it("reads a document's bytes back from its claim, PUTs them under its work order and records the document's own id", async () => {
    const { consumer, ledger, store, target } = aConsumer();
    const content = Buffer.from('%PDF-1.4 schouwrapport');
    ledger.seed({
      customer: CUSTOMER,
      collection: 'work-orders',
      externalRef: refOf('assignments', 100),
      status: 'migrated',
      runId: 'run-0',
      targetId: 'wo_100',
    });
    await store.put(documentClaimKey(CUSTOMER, refOf('documents', 7)), content, 'application/octet-stream');
    const record = {
      ...aQueuedRecord('documents', { ...aDocument({ id: 7, content }), content: null }),
      claim: { key: documentClaimKey(CUSTOMER, refOf('documents', 7)), sizeBytes: content.length, sha256: 'unused' },
    };
    target.answer(() => created({ id: 'doc_7', workOrderId: 'wo_100' }));

    await consumer.deliver(aQueueMessage('documents', [record]), 1);

    expect(target.requests).to.have.length(1);
    expect(target.requests[0]).to.include({ method: 'PUT', path: `/v1/work-orders/wo_100/documents/${encodeURIComponent(refOf('documents', 7))}` });
    expect(target.requests[0]!.body).to.deep.equal(content);
    expect(ledger.entry(CUSTOMER, 'documents', refOf('documents', 7))).to.include({ status: 'migrated', targetId: 'doc_7' });
  });

  it('resolves parents from the ledger: a migrated parent gives its target id, a failed one fails the child as parent_failed without a call', async () => {
    const { consumer, ledger, target } = aConsumer();
    ledger.seed({ customer: CUSTOMER, collection: 'connections', externalRef: refOf('addresses', 10), status: 'migrated', runId: 'run-0', targetId: 'con_10' });
    ledger.seed({
      customer: CUSTOMER,
      collection: 'connections',
      externalRef: refOf('addresses', 20),
      status: 'failed',
      runId: RUN_ID,
      code: 'duplicate',
      message: 'same address',
    });
    target.answer(() => created({ id: 'wo_100' }));
    const records = [
      aQueuedRecord('assignments', { ...anAssignment({ id: 100, address_id: 10 }) }),
      aQueuedRecord('assignments', { ...anAssignment({ id: 200, address_id: 20 }) }),
    ];

    await consumer.deliver(aQueueMessage('work-orders', records), 1);

    expect(target.requests).to.have.length(1);
    expect(target.requests[0]!.body).to.include({ connectionId: 'con_10', externalRef: refOf('assignments', 100) });
    expect(ledger.entry(CUSTOMER, 'work-orders', refOf('assignments', 100))).to.include({ status: 'migrated', targetId: 'wo_100' });
    expect(ledger.entry(CUSTOMER, 'work-orders', refOf('assignments', 200))).to.include({ status: 'failed', code: 'parent_failed', field: 'connectionId' });
  });
});
