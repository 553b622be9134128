import { expect } from 'chai';
import { TransientDeliveryError } from '../../../src/pipeline/errors.ts';
import { documentClaimKey } from '../../../src/pipeline/queue-message.ts';
import { TargetRefusedError } from '../../../src/target/errors.ts';
import { boundedPauseSeconds, MAX_PAUSE_SECONDS } from '../../../src/target/rate-limiter.ts';
import type { TargetResponse } from '../../../src/target/types.ts';
import { aConsumer } from '../../helpers/consumer-harness.ts';
import { created, refused } from '../../helpers/fake-fiberconnect.ts';
import { aContractor, aDocument } from '../../helpers/legacy-rows.ts';
import { aQueuedRecord, aQueueMessage, CUSTOMER, refOf, RUN_ID } from '../../helpers/queue-messages.ts';

/** What the client gives for a gateway's HTML page: the status, no body. */
const html = (status: number): TargetResponse => ({ status, body: undefined, replayed: false });

/** A message of `count` contractors, ids from 1. */
const contractors = (count: number, from = 1) =>
  aQueueMessage(
    'contractors',
    Array.from({ length: count }, (_, i) => aQueuedRecord('contractors', { ...aContractor({ id: from + i }) })),
  );

describe('answers the engine did not expect, on in-memory fakes', () => {
  describe('a refused token mid-run stops the run instead of failing every record', () => {
    for (const [what, answer] of [
      ['an HTML 401 from a gateway', html(401)],
      ['an HTML 403 from a gateway', html(403)],
      ["FiberConnect's own 401", refused(401, 'unauthorized')],
    ] as const) {
      it(`${what}: the run is marked refused, the delivery fails with one line, no record gets an outcome`, async () => {
        const { consumer, ledger, runs, target } = aConsumer();
        target.answer(() => answer);
        const error = await consumer.deliver(contractors(5), 1).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).to.be.instanceOf(TargetRefusedError);
        expect((error as Error).message).to.match(
          new RegExp(`^FiberConnect refused the token of customer ${CUSTOMER} \\(${answer.status}[^)]*\\): the run stops; check the customer's token`),
        );
        expect(runs.refusals.get(`${CUSTOMER}#${RUN_ID}`)).to.equal((error as Error).message);
        expect(ledger.calls.filter((call) => call.startsWith('recordOutcome'))).to.deep.equal([]);
        expect(runs.countersOf(CUSTOMER, RUN_ID, 'contractors')).to.deep.include({ failed: 0 });
      });
    }

    it('on its last delivery too: a refusal is no transient_exhausted', async () => {
      const { consumer, ledger, target } = aConsumer({ maxReceiveCount: 1 });
      target.answer(() => html(401));
      const error = await consumer.deliver(contractors(2), 1).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(TargetRefusedError);
      expect(ledger.calls.filter((call) => call.startsWith('recordOutcome'))).to.deep.equal([]);
    });

    it('every later message of the refused run is dropped without a request, by any instance', async () => {
      const { consumer, target, runs } = aConsumer();
      target.answer(() => html(403));
      await consumer.deliver(contractors(3), 1).catch(() => undefined);
      const sent = target.requests.length;
      expect((await consumer.deliver(contractors(3, 10), 1)).stale).to.equal(true);
      expect(target.requests).to.have.length(sent);

      // Another warm instance learns it from the run table.
      const other = aConsumer();
      other.runs.refusals.set(`${CUSTOMER}#${RUN_ID}`, runs.refusals.get(`${CUSTOMER}#${RUN_ID}`)!);
      expect((await other.consumer.deliver(contractors(3, 20), 1)).stale).to.equal(true);
      expect(other.target.requests).to.deep.equal([]);
    });
  });

  describe('ids FiberConnect gives must be able to stand in a later path', () => {
    for (const [what, answer] of [
      ['a created id ".."', created({ id: '..', version: 1 })],
      ['a created id with a newline', created({ id: 'cnt_1\nX', version: 1 })],
      ['an existing id "." of a duplicate externalRef', refused(409, 'duplicate_external_ref', { existingId: '.' })],
      ["a 201 whose body is a gateway's HTML", html(201)],
    ] as const) {
      it(`${what} fails the record rejected_by_target: the ledger never holds it, no rollback or delta DELETEs /v1/contractors/..`, async () => {
        const { consumer, ledger, target } = aConsumer();
        target.answer(() => answer);
        const result = await consumer.deliver(contractors(1), 1);
        expect(result).to.include({ failed: 1, migrated: 0 });
        expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 1)))
          .to.include({ status: 'failed', code: 'rejected_by_target' })
          .and.not.have.property('targetId');
      });
    }
  });

  describe('header values built from legacy data are validated before the call', () => {
    for (const [what, row, field] of [
      ['a mime_type with a newline (a second header)', { mime_type: 'application/pdf\r\nX-Injected: 1' }, 'contentType'],
      ['a mime_type with a NUL', { mime_type: 'application/pdf\u0000' }, 'contentType'],
      ['a file name with a lone surrogate half (no UTF-8 for X-File-Name)', { file_name: 'schouw\ud800.pdf' }, 'fileName'],
    ] as const) {
      it(`${what} fails its record with invalid_value on ${field}, no request, no retry`, async () => {
        const { consumer, ledger, target, store } = aConsumer();
        ledger.seed({
          customer: CUSTOMER,
          collection: 'work-orders',
          externalRef: refOf('assignments', 100),
          status: 'migrated',
          runId: 'run-0',
          targetId: 'wo_100',
        });
        const document = aDocument({ id: 7, ...row });
        const key = documentClaimKey(CUSTOMER, refOf('documents', 7));
        await store.put(key, document.content!, 'application/octet-stream');
        const record = {
          ...aQueuedRecord('documents', { ...document, content: null }),
          claim: { key, sizeBytes: document.size_bytes, sha256: document.sha256 },
        };
        const result = await consumer.deliver(aQueueMessage('documents', [record]), 1);
        expect(result).to.include({ failed: 1, retry: 0 });
        expect(target.requests).to.deep.equal([]);
        expect(ledger.entry(CUSTOMER, 'documents', refOf('documents', 7))).to.include({ status: 'failed', code: 'invalid_value', field });
      });
    }
  });

  describe('Retry-After is bounded', () => {
    it("a Retry-After past the delivery's deadline is not slept: the record goes back to the queue at once", async () => {
      const { consumer, target } = aConsumer();
      target.answer(() => refused(503, 'unavailable', { retryAfterSeconds: 3600 }));
      const started = Date.now();
      const error = await consumer.deliver(contractors(1), 1, Date.now() + 2_000).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(TransientDeliveryError);
      expect(target.requests).to.have.length(1);
      // Far from the hour asked for, and from the deadline too: no sleep happened at all.
      expect(Date.now() - started).to.be.below(1_500);
    });

    it("a 429's Retry-After pauses the shared limiter for at most MAX_PAUSE_SECONDS, and nothing for a value that is none", () => {
      expect(boundedPauseSeconds(3600)).to.equal(MAX_PAUSE_SECONDS);
      expect(boundedPauseSeconds(5)).to.equal(5);
      for (const none of [-10, 0, Number.NaN, Number.POSITIVE_INFINITY]) expect(boundedPauseSeconds(none), String(none)).to.equal(0);
    });

    it('a 429 with a huge Retry-After still answers the delivery by its deadline, leaving the record to come back', async () => {
      const { consumer, target, limiter } = aConsumer();
      target.answer((_request, attempt) =>
        attempt === 1 ? refused(429, 'rate_limited', { retryAfterSeconds: 86_400 }) : created({ id: 'cnt_1', version: 1 }),
      );
      const error = await consumer.deliver(contractors(1), 1, Date.now() + 2_000).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(TransientDeliveryError);
      expect(limiter.pauses).to.deep.equal([86_400]);
      expect(target.requests).to.have.length(1);
    });
  });
});
