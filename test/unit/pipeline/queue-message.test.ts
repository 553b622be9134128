import { expect } from 'chai';
import { MalformedMessageError } from '../../../src/pipeline/errors.ts';
import { documentClaimKey, parseQueueBody } from '../../../src/pipeline/queue-message.ts';
import type { QueueMessage, RemovalMessage } from '../../../src/pipeline/types.ts';
import { Remover } from '../../../src/rollback/remover.ts';
import { aConsumer } from '../../helpers/consumer-harness.ts';
import { created, FakeFiberConnect } from '../../helpers/fake-fiberconnect.ts';
import { FakeRateLimiter } from '../../helpers/fake-rate-limiter.ts';
import { FakeRemovalLedger } from '../../helpers/fake-removal-ledger.ts';
import { aContractor, aDocument } from '../../helpers/legacy-rows.ts';
import { DATABASE } from '../../helpers/mapping-context.ts';
import { aQueuedRecord, aQueueMessage, CUSTOMER, refOf } from '../../helpers/queue-messages.ts';

/** A contractor's message as a producer sends it, changed by `change` (a hostile sender's or a bug's). */
function contractorMessage(change: (message: Record<string, unknown> & QueueMessage) => void): QueueMessage {
  const message = structuredClone(aQueueMessage('contractors', [aQueuedRecord('contractors', { ...aContractor({ id: 5 }) })])) as Record<string, unknown> &
    QueueMessage;
  change(message);
  return message;
}

const HOSTILE: [string, (message: Record<string, unknown> & QueueMessage) => void, string][] = [
  ['a field no message has', (m) => (m.callbackUrl = 'https://evil.example/'), '/callbackUrl is not part of a queue message'],
  ['a customer key that is not one', (m) => (m.customer = '../demo'), '/customer must match pattern'],
  ['an unknown collection', (m) => ((m as Record<string, unknown>).collection = 'users'), '/collection must be equal to one of the allowed values'],
  ['a rate far beyond any profile', (m) => (m.targetRps = 1e9), '/targetRps must be <= 10000'],
  ['no records', (m) => (m.records = []), '/records must NOT have fewer than 1 items'],
  ['a row id that is text', (m) => (m.records[0]!.row.id = '5 OR 1=1'), '/records/0/row/id must be integer'],
  ['a row column that is an object', (m) => (m.records[0]!.row.name = { toString: 'x' }), '/records/0/row/name must be string,null'],
  [
    'an externalRef of another sub-project',
    (m) => (m.records[0]!.externalRef = 'fp_other:contractors:5'),
    `/records/0/externalRef is not ${DATABASE}:contractors:5`,
  ],
  ['an externalRef of another row', (m) => (m.records[0]!.externalRef = refOf('contractors', 6)), `/records/0/externalRef is not ${DATABASE}:contractors:5`],
  [
    "a claim on a contractor (a document of someone else's, read back and sent)",
    (m) => (m.records[0]!.claim = { key: documentClaimKey('other', 'fp_other:documents:1'), sizeBytes: 10, sha256: 'x' }),
    "/records/0/claim is not the document's own",
  ],
];

describe('queue messages are checked against their schema before anything is read or sent', () => {
  for (const [what, change, issue] of HOSTILE) {
    it(`the consumer refuses a message with ${what}: MalformedMessageError naming it, no ledger read, no request`, async () => {
      const { consumer, ledger, target } = aConsumer();
      target.answer(() => created({ id: 'cnt_5', version: 1 }));
      const error = await consumer.deliver(contractorMessage(change), 1).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).to.be.instanceOf(MalformedMessageError);
      expect((error as Error).message)
        .to.match(/^malformed queue message, nothing sent: /)
        .and.include(issue);
      expect(target.requests).to.deep.equal([]);
      expect(ledger.calls).to.deep.equal([]);
    });
  }

  it("the consumer refuses a document claim that is not the document's own, even of the same customer", async () => {
    const { consumer, target } = aConsumer();
    const record = {
      ...aQueuedRecord('documents', { ...aDocument({ id: 7 }), content: null }),
      claim: { key: documentClaimKey(CUSTOMER, refOf('documents', 8)), sizeBytes: 22, sha256: 'x' },
    };
    const error = await consumer.deliver(aQueueMessage('documents', [record]), 1).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect((error as Error).message).to.include("/records/0/claim is not the document's own");
    expect(target.requests).to.deep.equal([]);
  });

  it('takes a document row as the page reader sends it: its real length, and why its bytes were not read', () => {
    const row = {
      ...aDocument({ id: 7 }),
      content: null,
      content_length: 26_214_401,
      content_error: "26214401 bytes, over the target's limit of 26214400: not read",
    };
    const body = JSON.stringify(aQueueMessage('documents', [aQueuedRecord('documents', row)]));
    expect(() => parseQueueBody(body)).to.not.throw();
  });

  it('the rollback\'s remover refuses a removal of the target id ".." (a DELETE /v1/projects/.. is another path): no DELETE', async () => {
    const target = new FakeFiberConnect();
    const ledger = new FakeRemovalLedger();
    const remover = new Remover({
      ledger,
      runs: {
        liveRunId: async () => 'rb-1',
        addRemovals: async () => undefined,
        markTargetRefused: async () => undefined,
        targetRefusal: async () => undefined,
      },
      targetClient: async () => target,
      targetLimiter: () => new FakeRateLimiter(),
      maxReceiveCount: 3,
    });
    const message: RemovalMessage = {
      v: 1,
      kind: 'removal',
      customer: 'acme',
      runId: 'rb-1',
      collection: 'projects',
      database: 'fp_acme_north',
      maxAttempts: 3,
      targetRps: 10,
      requestTimeoutSeconds: 5,
      records: [{ externalRef: 'fp_acme_north:projects:1', targetId: '..' }],
    };
    const error = await remover.deliver(message, 1).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(MalformedMessageError);
    expect((error as Error).message).to.include('/records/0/targetId must match pattern');
    expect(target.requests).to.deep.equal([]);
  });

  it('a body that is not JSON is malformed too, in one line', () => {
    expect(() => parseQueueBody('{"v":1,')).to.throw(MalformedMessageError, /^malformed queue message, nothing sent: the body is not JSON/);
  });

  it('names five issues at most, however many a hostile message makes', () => {
    const records = Array.from({ length: 50 }, (_, index) => ({ externalRef: 'x', checksum: '', row: { id: -index } }));
    const error = (() => {
      try {
        parseQueueBody(JSON.stringify({ ...aQueueMessage('contractors', []), records }));
      } catch (failure) {
        return failure as MalformedMessageError;
      }
      return undefined;
    })();
    expect(error?.context.issues).to.have.length(5);
    expect(error?.message).to.match(/\(and \d+ more\)$/);
  });
});
