import { expect } from 'chai';
import { documentClaimKey } from '../../../src/pipeline/queue-message.ts';
import type { TargetRequest } from '../../../src/target/types.ts';
import { aConsumer, type ConsumerHarness } from '../../helpers/consumer-harness.ts';
import { created } from '../../helpers/fake-fiberconnect.ts';
import { aContractor, aDocument, anAssignment } from '../../helpers/legacy-rows.ts';
import { aProducer } from '../../helpers/producer-harness.ts';
import { aQueuedRecord, aQueueMessage, CUSTOMER, refOf, RUN_ID } from '../../helpers/queue-messages.ts';

const DELTA_RUN = 'run-2';
const FOREVER = Number.POSITIVE_INFINITY;
const contractorRow = (overrides = {}) => ({ ...aContractor({ id: 5, ...overrides }) });

/** A consumer that migrated contractor 5 (version 1) in run-1 and now delivers run-2's messages. */
async function migratedContractor(): Promise<ConsumerHarness> {
  const harness = aConsumer();
  harness.target.answer(() => created({ id: 'cnt_5', version: 1 }));
  await harness.consumer.deliver(aQueueMessage('contractors', [aQueuedRecord('contractors', contractorRow())]), 1);
  harness.runs.latest.set(CUSTOMER, DELTA_RUN);
  harness.target.requests.length = 0;
  return harness;
}

/** Run-2's update of contractor 5 as a producer queues it. */
const update = (row: Record<string, unknown>, checksum = 'checksum-changed') =>
  aQueueMessage('contractors', [{ ...aQueuedRecord('contractors', row), checksum, update: true }], { runId: DELTA_RUN });

describe('delta re-runs on in-memory fakes', () => {
  describe('the producer', () => {
    it('queues a migrated row whose checksum changed as an update and keeps its entry migrated; an unchanged one is already migrated', async () => {
      const { producer, ledger, sqs, runs, scope } = aProducer([contractorRow({ id: 1 }), contractorRow({ id: 2 })]);
      await producer.produce(scope('contractors'), { id: 'r0', afterId: 0, lastId: 5 }, { done: false }, FOREVER);
      const checksumOf = (id: number) => ledger.entry(CUSTOMER, 'contractors', refOf('contractors', id))!.sourceChecksum!;
      ledger.seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 1),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'cnt_1',
        migratedChecksum: checksumOf(1),
      });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 2),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'cnt_2',
        migratedChecksum: 'an older checksum',
      });
      sqs.sent.length = 0;

      await producer.produce({ ...scope('contractors'), runId: DELTA_RUN }, { id: 'r0', afterId: 0, lastId: 5 }, { done: false }, FOREVER);

      expect(sqs.sent.flatMap((m) => m.body.records).map((r) => [r.externalRef, r.update])).to.deep.equal([[refOf('contractors', 2), true]]);
      expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 2))).to.include({
        status: 'migrated',
        delta: 'queued',
        runId: DELTA_RUN,
        targetId: 'cnt_2',
      });
      expect(runs.rangeTotals(CUSTOMER, DELTA_RUN, 'contractors')).to.deep.equal({ source: 2, alreadyMigrated: 1, queued: 1 });
    });

    it('compares the queued checksum of an entry written before deltas, which has no migrated checksum', async () => {
      const { producer, ledger, sqs, scope } = aProducer([contractorRow({ id: 1 })]);
      ledger.seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 1),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'cnt_1',
        sourceChecksum: 'what it was queued with',
      });

      await producer.produce(scope('contractors'), { id: 'r0', afterId: 0, lastId: 5 }, { done: false }, FOREVER);

      expect(sqs.sent.flatMap((m) => m.body.records).map((r) => r.update)).to.deep.equal([true]);
    });

    it("marks the migrated records of a page's id span that have no row as deletedInSource for the run, once, leaving them migrated", async () => {
      const { producer, ledger, calls, scope } = aProducer([contractorRow({ id: 1 }), contractorRow({ id: 3 })]);
      for (const id of [2, 4, 9])
        ledger.seed({
          customer: CUSTOMER,
          collection: 'contractors',
          externalRef: refOf('contractors', id),
          status: 'migrated',
          runId: 'run-0',
          targetId: `cnt_${id}`,
        });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 5),
        status: 'failed',
        runId: 'run-0',
        code: 'invalid_value',
        message: 'x',
      });

      await producer.produce(scope('contractors', { sourceBatchSize: 10 }), { id: 'r0', afterId: 0, lastId: 8 }, { done: false }, FOREVER);
      await producer.produce(scope('contractors', { sourceBatchSize: 10 }), { id: 'r0', afterId: 0, lastId: 8 }, { done: false }, FOREVER);

      // Id 9 is beyond the range, a failed entry was never in the target: neither is listed.
      expect(calls.filter((call) => call.startsWith('markDeletedInSource'))).to.deep.equal([
        `markDeletedInSource ${refOf('contractors', 2)},${refOf('contractors', 4)}`,
      ]);
      expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 4))).to.include({ status: 'migrated', delta: 'deletedInSource', runId: RUN_ID });
      expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 9))).to.include({ runId: 'run-0' });
    });
  });

  describe('the consumer', () => {
    it('patches exactly the changed fields with If-Match of the last version, and records updated with the new version, hashes and checksum', async () => {
      const { consumer, ledger, runs, target } = await migratedContractor();
      target.answer(() => created({ id: 'cnt_5', version: 2 }, 200));

      const result = await consumer.deliver(update(contractorRow({ email: 'planning@graafwerk.nl', phone: null })), 1);

      expect(result).to.include({ updated: 1, migrated: 0 });
      expect(target.requests).to.have.length(1);
      const [request] = target.requests as [TargetRequest];
      expect(request).to.deep.include({ method: 'PATCH', path: '/v1/contractors/cnt_5', headers: { 'If-Match': '"1"' } });
      expect(request.body).to.deep.equal({ email: 'planning@graafwerk.nl', phone: null });
      expect(request.idempotencyKey).to.equal(undefined);
      expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({
        status: 'migrated',
        delta: 'updated',
        targetVersion: 2,
        migratedChecksum: 'checksum-changed',
        runId: DELTA_RUN,
      });
      expect(runs.countersOf(CUSTOMER, DELTA_RUN, 'contractors')).to.include({ updated: 1, migrated: 0 });
    });

    it('sends nothing for a changed row whose mapped fields did not change (only updated_at), and counts it unchanged', async () => {
      const { consumer, ledger, target } = await migratedContractor();

      const result = await consumer.deliver(update(contractorRow({ updated_at: '2030-01-01 00:00:00' })), 1);

      expect(target.requests).to.have.length(0);
      expect(result).to.include({ unchanged: 1, updated: 0 });
      expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({
        status: 'migrated',
        delta: 'unchanged',
        targetVersion: 1,
        migratedChecksum: 'checksum-changed',
      });
    });

    it('reports a 412 as target_changed naming the fields a person changed, overwrites nothing and keeps the last version', async () => {
      const { consumer, ledger, target } = await migratedContractor();
      const current = { id: 'cnt_5', version: 2, externalRef: refOf('contractors', 5), ...(await migratedBody()), name: 'Graafwerk Holding BV' };
      target.answer(() => ({ status: 412, replayed: false, body: { error: { code: 'version_mismatch', message: 'changed', current } } }));

      const result = await consumer.deliver(update(contractorRow({ email: 'planning@graafwerk.nl' })), 1);

      expect(result).to.include({ failed: 1, updated: 0 });
      expect(target.requests).to.have.length(1);
      const entry = ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))!;
      expect(entry).to.include({ status: 'migrated', delta: 'failed', code: 'target_changed', targetVersion: 1, targetId: 'cnt_5' });
      expect(entry.message)
        .to.match(/\(fields name\)/)
        .and.match(/would set email/);
      expect(entry.migratedChecksum, 'the next run tries the change again').to.equal('checksum-5');
    });

    it('takes a 412 whose record already holds the change for its own write of a killed run: updated at that version, nothing sent twice', async () => {
      const { consumer, ledger, target } = await migratedContractor();
      const current = { id: 'cnt_5', version: 2, externalRef: refOf('contractors', 5), ...(await migratedBody()), email: 'planning@graafwerk.nl' };
      target.answer(() => ({ status: 412, replayed: false, body: { error: { code: 'version_mismatch', message: 'changed', current } } }));

      const result = await consumer.deliver(update(contractorRow({ email: 'planning@graafwerk.nl' })), 1);

      expect(result).to.include({ updated: 1, failed: 0 });
      expect(target.requests).to.have.length(1);
      expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({ delta: 'updated', targetVersion: 2 });
    });

    it('fails a changed row that no longer validates with its code, without a call; the entry keeps its target id and version for its children and a later fix', async () => {
      const { consumer, ledger, target } = await migratedContractor();

      const result = await consumer.deliver(update(contractorRow({ email: 'not an address' })), 1);

      expect(target.requests).to.have.length(0);
      expect(result).to.include({ failed: 1 });
      expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.include({
        status: 'migrated',
        delta: 'failed',
        code: 'invalid_value',
        field: 'email',
        targetId: 'cnt_5',
        targetVersion: 1,
      });
    });

    it("patches a work-order update with If-Match of its work order's latest version by the engine, and raises that version", async () => {
      const { consumer, ledger, target, runs } = aConsumer();
      runs.latest.set(CUSTOMER, DELTA_RUN);
      const ref = refOf('assignments', 100);
      ledger.seed({
        customer: CUSTOMER,
        collection: 'contractors',
        externalRef: refOf('contractors', 5),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'cnt_5',
      });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'work-orders',
        externalRef: ref,
        status: 'migrated',
        runId: DELTA_RUN,
        delta: 'updated',
        targetId: 'wo_100',
        targetVersion: 3,
      });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'work-order-updates',
        externalRef: ref,
        status: 'migrated',
        runId: 'run-0',
        targetId: 'wo_100',
        targetVersion: 2,
        fieldHashes: {},
      });
      target.answer(() => created({ id: 'wo_100', version: 4 }, 200));

      await consumer.deliver(
        aQueueMessage('work-order-updates', [{ ...aQueuedRecord('assignments', { ...anAssignment({ status: 'cancelled' }) }), update: true }], {
          runId: DELTA_RUN,
        }),
        1,
      );

      expect(target.requests[0]).to.deep.include({ method: 'PATCH', path: '/v1/work-orders/wo_100', headers: { 'If-Match': '"3"' } });
      expect(ledger.entry(CUSTOMER, 'work-orders', ref)).to.include({ targetVersion: 4 });
      expect(ledger.entry(CUSTOMER, 'work-order-updates', ref)).to.include({ delta: 'updated', targetVersion: 4 });
    });

    it("a work order's PATCH (planned date, remarks) is the latest write of its work-order update too: both entries take its version", async () => {
      const { consumer, ledger, target, runs } = aConsumer();
      runs.latest.set(CUSTOMER, DELTA_RUN);
      const ref = refOf('assignments', 100);
      const row = anAssignment({ id: 100 });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'connections',
        externalRef: refOf('addresses', Number(row.address_id)),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'con_1',
      });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'work-orders',
        externalRef: ref,
        status: 'migrated',
        runId: 'run-0',
        targetId: 'wo_100',
        targetVersion: 2,
        fieldHashes: {},
      });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'work-order-updates',
        externalRef: ref,
        status: 'migrated',
        runId: 'run-0',
        targetId: 'wo_100',
        targetVersion: 2,
        fieldHashes: {},
      });
      target.answer(() => created({ id: 'wo_100', version: 3 }, 200));

      await consumer.deliver(
        aQueueMessage('work-orders', [{ ...aQueuedRecord('assignments', { ...row, remarks: 'Bel vooraf aan', planned_date: '2027-03-15' }), update: true }], {
          runId: DELTA_RUN,
        }),
        1,
      );

      expect(target.requests[0]).to.deep.include({ method: 'PATCH', path: '/v1/work-orders/wo_100', headers: { 'If-Match': '"2"' } });
      expect(ledger.entry(CUSTOMER, 'work-orders', ref)).to.include({ delta: 'updated', targetVersion: 3 });
      // Verify compares the work order's version with both entries: the update's must not stay at 2.
      expect(ledger.entry(CUSTOMER, 'work-order-updates', ref)).to.include({ targetVersion: 3 });
    });

    it('replaces a changed document by a PUT of its new bytes with If-Match', async () => {
      const { consumer, ledger, target, runs, store } = aConsumer();
      runs.latest.set(CUSTOMER, DELTA_RUN);
      const ref = refOf('documents', 7);
      ledger.seed({
        customer: CUSTOMER,
        collection: 'work-orders',
        externalRef: refOf('assignments', 100),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'wo_100',
        targetVersion: 2,
      });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'documents',
        externalRef: ref,
        status: 'migrated',
        runId: 'run-0',
        targetId: 'doc_7',
        targetVersion: 1,
        fieldHashes: { content: 'old', fileName: 'x', contentType: 'y' },
      });
      const row = aDocument({ id: 7 });
      await store.put(documentClaimKey(CUSTOMER, refOf('documents', 7)), row.content!, 'application/octet-stream');
      target.answer(() => created({ id: 'doc_7', version: 2 }, 200));

      await consumer.deliver(
        aQueueMessage(
          'documents',
          [
            {
              ...aQueuedRecord('documents', { ...row, content: null }),
              claim: { key: documentClaimKey(CUSTOMER, refOf('documents', 7)), sizeBytes: row.size_bytes, sha256: row.sha256 },
              update: true,
            },
          ],
          { runId: DELTA_RUN },
        ),
        1,
      );

      expect(target.requests[0]).to.deep.include({ method: 'PUT', path: `/v1/work-orders/wo_100/documents/${encodeURIComponent(ref)}` });
      expect(target.requests[0]!.headers).to.include({ 'If-Match': '"1"' });
      expect(Buffer.isBuffer(target.requests[0]!.body)).to.equal(true);
      expect(ledger.entry(CUSTOMER, 'documents', ref)).to.include({ delta: 'updated', targetVersion: 2 });
    });

    it('sends nothing for a document whose file name changed but whose bytes did not (the target replaces a document only for other bytes)', async () => {
      const { consumer, ledger, target, runs, store } = aConsumer();
      runs.latest.set(CUSTOMER, DELTA_RUN);
      const row = aDocument({ id: 7 });
      ledger.seed({
        customer: CUSTOMER,
        collection: 'work-orders',
        externalRef: refOf('assignments', 100),
        status: 'migrated',
        runId: 'run-0',
        targetId: 'wo_100',
        targetVersion: 2,
      });
      await store.put(documentClaimKey(CUSTOMER, refOf('documents', 7)), row.content!, 'application/octet-stream');
      const message = (fileName: string, runId: string) =>
        aQueueMessage(
          'documents',
          [
            {
              ...aQueuedRecord('documents', { ...row, file_name: fileName, content: null }),
              claim: { key: documentClaimKey(CUSTOMER, refOf('documents', 7)), sizeBytes: row.size_bytes, sha256: row.sha256 },
              ...(runId === DELTA_RUN ? { update: true as const } : {}),
            },
          ],
          { runId },
        );
      runs.latest.set(CUSTOMER, 'run-0');
      target.answer(() => created({ id: 'doc_7', version: 1 }));
      await consumer.deliver(message('schouw.pdf', 'run-0'), 1);
      runs.latest.set(CUSTOMER, DELTA_RUN);
      target.requests.length = 0;

      const result = await consumer.deliver(message('schouwrapport-v2.pdf', DELTA_RUN), 1);

      expect(target.requests).to.have.length(0);
      expect(result).to.include({ unchanged: 1, updated: 0 });
      expect(ledger.entry(CUSTOMER, 'documents', refOf('documents', 7))).to.include({ delta: 'unchanged', targetVersion: 1 });
    });

    it("counts a dry run's update as would be updated, sends nothing and leaves the real entry as it was", async () => {
      const { consumer, ledger, target, runs } = await migratedContractor();
      runs.latestDry.set(CUSTOMER, DELTA_RUN);
      const real = { ...ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))! };
      await ledger
        .forDryRun(DELTA_RUN)
        .markQueued(DELTA_RUN, [
          { key: { customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', 5) }, sourceChecksum: 'checksum-changed', previous: real },
        ]);

      const result = await consumer.deliver({ ...update(contractorRow({ email: 'planning@graafwerk.nl' })), dryRun: true }, 1);

      expect(result).to.include({ updated: 1 });
      expect(target.requests).to.have.length(0);
      expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 5))).to.deep.equal(real);
      expect(ledger.dryEntries(DELTA_RUN)[0]).to.include({ status: 'migrated', delta: 'updated' });
    });
  });
});

/** The body the first run sent for contractor 5, without externalRef. */
async function migratedBody(): Promise<Record<string, unknown>> {
  const { consumer, target } = aConsumer();
  target.answer(() => created({ id: 'cnt_5', version: 1 }));
  await consumer.deliver(aQueueMessage('contractors', [aQueuedRecord('contractors', contractorRow())]), 1);
  const { externalRef: _externalRef, ...body } = target.requests[0]!.body as Record<string, unknown>;
  return body;
}
