import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { MAX_DOCUMENT_BYTES } from '../../../src/domain/constants.ts';
import { MAX_SOURCE_ID } from '../../../src/ledger/constants.ts';
import type { LedgerStatus } from '../../../src/ledger/types.ts';
import { RESUME_QUEUE_BACKLOG } from '../../../src/pipeline/back-pressure.ts';
import { MAX_QUEUE_BACKLOG } from '../../../src/profile/run-options.ts';
import { rowChecksum } from '../../../src/pipeline/producer.ts';
import type { IdRange } from '../../../src/pipeline/types.ts';
import { aContractor, aDocument } from '../../helpers/legacy-rows.ts';
import { aProducer } from '../../helpers/producer-harness.ts';
import { CUSTOMER, refOf, RUN_ID } from '../../helpers/queue-messages.ts';

const contractors = (...ids: number[]) => ids.map((id) => ({ ...aContractor({ id }) }));
const RANGE: IdRange = { id: 'r0', afterId: 0, lastId: 5 };
const FOREVER = Number.POSITIVE_INFINITY;

describe('Producer on in-memory fakes', () => {
  it("reads a range in keyset pages from afterId to its end and queues every record once, with the sub-project's status maps", async () => {
    const { producer, pool, sqs, limiter, scope } = aProducer(contractors(1, 2, 3, 4, 5));

    const state = await producer.produce(scope('contractors', { sourceBatchSize: 2 }), RANGE, { done: false }, FOREVER);

    expect(state).to.deep.equal({ done: true, cursor: 5, queued: 5 });
    expect(pool.pages).to.deep.equal([
      [0, 5, 2],
      [2, 5, 2],
      [4, 5, 2],
    ]);
    expect(limiter.acquired).to.equal(3);
    expect(sqs.records).to.deep.equal([1, 2, 3, 4, 5].map((id) => refOf('contractors', id)));
    expect(sqs.sent.every((m) => m.queueUrl === 'queue/contractors.fifo' && m.body.runId === RUN_ID)).to.equal(true);
    expect(sqs.sent[0]!.body.settings).to.deep.equal({ 'status_map.projects': '{"actief":"IN_PROGRESS"}' });
  });

  it('stops at lastId after a full page without reading an empty one', async () => {
    const { producer, pool, scope } = aProducer(contractors(1, 2, 3, 4, 9));

    const state = await producer.produce(scope('contractors', { sourceBatchSize: 2 }), { id: 'r0', afterId: 0, lastId: 4 }, { done: false }, FOREVER);

    expect(state).to.deep.equal({ done: true, cursor: 4, queued: 4 });
    expect(pool.pages).to.deep.equal([
      [0, 4, 2],
      [2, 4, 2],
    ]);
  });

  it('counts records the ledger shows migrated as already migrated and does not queue them', async () => {
    const { producer, ledger, runs, sqs, scope } = aProducer(contractors(1, 2, 3, 4, 5));
    ledger.seed({ customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', 2), status: 'migrated', runId: 'run-0', targetId: 'cnt_2' });
    ledger.seed({
      customer: CUSTOMER,
      collection: 'contractors',
      externalRef: refOf('contractors', 3),
      status: 'failed',
      runId: 'run-0',
      code: 'invalid_value',
      message: 'bad',
      attempts: 2,
    });

    await producer.produce(scope('contractors', { sourceBatchSize: 10 }), RANGE, { done: false }, FOREVER);

    expect(sqs.records).to.deep.equal([1, 3, 4, 5].map((id) => refOf('contractors', id)));
    expect(runs.rangeTotals(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ source: 5, alreadyMigrated: 1, queued: 4 });
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 2))).to.include({ status: 'migrated', runId: 'run-0' });
    // A queued record keeps what the ledger knew of it.
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 3))).to.include({ status: 'queued', runId: RUN_ID, attempts: 2 });
  });

  it('counts, on a retried page, the records this run already answered once as queued, and sends them neither again nor as already migrated', async () => {
    const { producer, ledger, runs, sqs, scope } = aProducer(contractors(1, 2, 3, 4, 5));
    // The step's first try queued the page and the consumers answered three of its records before the step was retried.
    ledger.seed({ customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', 1), status: 'migrated', runId: RUN_ID, targetId: 'cnt_1' });
    ledger.seed({
      customer: CUSTOMER,
      collection: 'contractors',
      externalRef: refOf('contractors', 2),
      status: 'failed',
      runId: RUN_ID,
      code: 'invalid_value',
      message: 'bad',
    });
    ledger.seed({
      customer: CUSTOMER,
      collection: 'contractors',
      externalRef: refOf('contractors', 3),
      status: 'skipped',
      runId: RUN_ID,
      code: 'completed_project',
      message: 'completed',
    });
    ledger.seed({ customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', 4), status: 'queued', runId: RUN_ID });

    await producer.produce(scope('contractors', { sourceBatchSize: 10 }), RANGE, { done: false }, FOREVER);

    expect(sqs.records, 'only what has no answer yet goes again').to.deep.equal([4, 5].map((id) => refOf('contractors', id)));
    expect(runs.rangeTotals(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ source: 5, alreadyMigrated: 0, queued: 5 });
    expect(ledger.entry(CUSTOMER, 'contractors', refOf('contractors', 1))).to.include({ status: 'migrated', runId: RUN_ID });
  });

  it('limits a RETRY_FAILED run to records whose last outcome was a failure or that never got one', async () => {
    const { producer, ledger, runs, sqs, scope } = aProducer(contractors(1, 2, 3, 4, 5));
    const seen: [number, LedgerStatus][] = [
      [1, 'migrated'],
      [2, 'failed'],
      [3, 'skipped'],
      [4, 'queued'],
    ];
    for (const [id, status] of seen)
      ledger.seed({ customer: CUSTOMER, collection: 'contractors', externalRef: refOf('contractors', id), status, runId: 'run-0' });

    await producer.produce(scope('contractors', { sourceBatchSize: 10, retryFailed: true }), RANGE, { done: false }, FOREVER);

    expect(sqs.records).to.deep.equal([2, 4].map((id) => refOf('contractors', id)));
    expect(runs.rangeTotals(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ source: 3, alreadyMigrated: 1, queued: 2 });
  });

  it("SETs each page's figures under the page's key, so a retried step overwrites them instead of adding", async () => {
    const { producer, runs, scope } = aProducer(contractors(1, 2, 3, 4, 5));
    const options = scope('contractors', { sourceBatchSize: 2 });

    await producer.produce(options, RANGE, { done: false }, FOREVER);
    await producer.produce(options, RANGE, { done: false }, FOREVER);

    expect([...runs.ranges.keys()]).to.deep.equal(
      ['fp_demo_north#r0#0', 'fp_demo_north#r0#2', 'fp_demo_north#r0#4'].map((page) => `${CUSTOMER}#${RUN_ID}#contractors#${page}`),
    );
    expect(runs.rangeTotals(CUSTOMER, RUN_ID, 'contractors')).to.deep.equal({ source: 5, alreadyMigrated: 0, queued: 5 });
  });

  it("records a page's figures and marks its records queued in the ledger before the messages leave", async () => {
    const { producer, calls, scope } = aProducer(contractors(1, 2, 3));

    await producer.produce(scope('contractors', { sourceBatchSize: 2 }), RANGE, { done: false }, FOREVER);

    // Each page first asks the ledger for migrated records of its id span (the last page's span reaches the range's end).
    const page = (refs: number[], spanEnd = refs[refs.length - 1]!) => [
      `migratedInIdRange contractors ${refs[0]! - 1} ${spanEnd}`,
      `getMany contractors ${refs.length}`,
      `recordRange fp_demo_north#r0#${refs[0]! - 1}`,
      `markQueued ${refs.map((id) => refOf('contractors', id)).join(',')}`,
      'send',
    ];
    expect(calls.map((call) => call.replace(/^send \d+$/, 'send'))).to.deep.equal([...page([1, 2]), ...page([3], RANGE.lastId)]);
  });

  it("parks a document's bytes in the object store and sends a claim instead of the bytes", async () => {
    const content = Buffer.from('%PDF-1.4 schouwrapport');
    const { producer, store, sqs, scope } = aProducer([{ ...aDocument({ id: 7, content }) }]);

    await producer.produce(scope('documents'), { id: 'r0', afterId: 0, lastId: 7 }, { done: false }, FOREVER);

    const key = `documents/${CUSTOMER}/${encodeURIComponent(refOf('documents', 7))}`;
    expect(store.objects.get(key)).to.deep.equal({ body: content, contentType: 'application/octet-stream' });
    const record = sqs.sent[0]!.body.records[0]!;
    expect(record.claim).to.deep.equal({ key, sizeBytes: content.length, sha256: createHash('sha256').update(content).digest('hex') });
    expect(record.row.content).to.equal(null);
  });

  it('reads documents by a byte budget: a page ends before the document that would pass it, none of its reads is over it, and every document is sent once', async () => {
    const sizes = [600, 600, 300, 100, 900, 50];
    const rows = sizes.map((size, index) => ({ ...aDocument({ id: index + 1, content: Buffer.alloc(size, index + 1) }) }));
    const { producer, pool, sqs, scope } = aProducer(rows, 1000);

    const page = await producer.produce(scope('documents'), { id: 'r0', afterId: 0, lastId: 6 }, { done: false }, FOREVER);

    expect(page).to.include({ done: true, queued: 6 });
    expect(pool.contentReads.map((read) => read.ids)).to.deep.equal([[1], [2, 3, 4], [5, 6]]);
    expect(Math.max(...pool.contentReads.map((read) => read.bytes))).to.be.at.most(1000);
    expect(sqs.records).to.deep.equal(rows.map((row) => refOf('documents', Number(row.id))));
  });

  it("never reads the bytes of a document whose real length is over the target's limit, although its size_bytes says less", async () => {
    const huge = { ...aDocument({ id: 2, content: Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 7) }), size_bytes: 1000 };
    const { producer, pool, sqs, scope } = aProducer([{ ...aDocument({ id: 1 }) }, huge, { ...aDocument({ id: 3 }) }]);

    await producer.produce(scope('documents'), { id: 'r0', afterId: 0, lastId: 3 }, { done: false }, FOREVER);

    expect(pool.contentReads.flatMap((read) => read.ids)).to.deep.equal([1, 3]);
    const sent = sqs.sent.flatMap((message) => message.body.records).find((record) => record.externalRef === refOf('documents', 2))!;
    expect(sent.row).to.include({ content: null, content_length: MAX_DOCUMENT_BYTES + 1 });
    expect(sent.claim).to.equal(undefined);
  });

  it('sends a document whose bytes cannot be read without them (its record fails too_large), and the rest of the page with theirs', async () => {
    const { producer, pool, sqs, scope } = aProducer([1, 2, 3].map((id) => ({ ...aDocument({ id }) })));
    pool.unreadable.add(2);

    await producer.produce(scope('documents'), { id: 'r0', afterId: 0, lastId: 3 }, { done: false }, FOREVER);

    const sent = sqs.sent.flatMap((message) => message.body.records).sort((a, b) => a.externalRef.localeCompare(b.externalRef));
    expect(sent.map((record) => Boolean(record.claim))).to.deep.equal([true, false, true]);
    expect(String(sent[1]!.row.content_error)).to.match(/^could not be read: Got error 1/);
  });

  it('gives a document row the checksum it had before pages were read by bytes: what the page read says of it (its length, a read error) is no part of the row', () => {
    const { assignment_id_exists: exists, ...row } = { ...aDocument() };
    expect(rowChecksum({ ...row, content_length: row.content!.length, assignment_id_exists: exists })).to.equal(
      rowChecksum({ ...row, assignment_id_exists: exists }),
    );
    expect(rowChecksum({ ...row, content: null, content_error: 'could not be read', assignment_id_exists: exists })).to.equal(
      rowChecksum({ ...row, content: null, assignment_id_exists: exists }),
    );
  });

  it('stops between pages once the deadline has passed and resumes from its cursor', async () => {
    const { producer, pool, sqs, scope } = aProducer(contractors(1, 2, 3, 4, 5));
    const options = scope('contractors', { sourceBatchSize: 2 });

    const stopped = await producer.produce(options, RANGE, { done: false }, Date.now() - 1);
    expect(stopped).to.deep.equal({ done: false, cursor: 2, queued: 2 });
    expect(pool.pages).to.have.length(1);

    const finished = await producer.produce(options, RANGE, stopped, FOREVER);
    expect(finished).to.deep.equal({ done: true, cursor: 5, queued: 5 });
    expect(pool.pages.slice(1)).to.deep.equal([
      [2, 5, 2],
      [4, 5, 2],
    ]);
    expect(sqs.records).to.have.length(5);
  });

  it('holds back before reading anything while the queue is deep: it answers its cursor and a hold, and has read and sent nothing', async () => {
    const { producer, pool, sqs, runs, queue, scope } = aProducer(contractors(1, 2, 3, 4, 5));
    queue.messages = MAX_QUEUE_BACKLOG;
    const options = scope('contractors', { drainPollSeconds: 7 });

    const held = await producer.produce(options, RANGE, { done: false }, FOREVER);

    expect(held).to.deep.include({ done: false, cursor: 0, queued: 0 });
    expect(held.hold).to.include({ looks: 1, waitSeconds: 7, remaining: MAX_QUEUE_BACKLOG - RESUME_QUEUE_BACKLOG, timedOut: false });
    expect(pool.pages).to.deep.equal([]);
    expect(sqs.sent).to.deep.equal([]);
    expect(runs.calls.filter((call) => call.startsWith('recordRange'))).to.deep.equal([]);
  });

  it('holds mid-range after a whole page, keeps holding until the queue is down to the resume level, then goes on from its cursor: every record queued exactly once', async () => {
    const { producer, pool, sqs, queue, scope } = aProducer(contractors(1, 2, 3, 4, 5));
    const options = scope('contractors', { sourceBatchSize: 2 });
    // Before page 1: shallow; before page 2: deep. Then, on the next calls: below the most but above the resume level, then at it.
    queue.script = [0, MAX_QUEUE_BACKLOG + 10, RESUME_QUEUE_BACKLOG + 1, RESUME_QUEUE_BACKLOG];

    const first = await producer.produce(options, RANGE, { done: false }, FOREVER);
    expect(first).to.deep.include({ done: false, cursor: 2, queued: 2 });
    expect(first.hold?.looks).to.equal(1);
    const second = await producer.produce(options, RANGE, first, FOREVER);
    expect(second, 'still holding: the queue is not down to the resume level').to.deep.include({ done: false, cursor: 2, queued: 2 });
    expect(second.hold?.looks).to.equal(2);
    const finished = await producer.produce(options, RANGE, second, FOREVER);

    expect(finished).to.deep.equal({ done: true, cursor: 5, queued: 5 });
    expect(pool.pages).to.deep.equal([
      [0, 5, 2],
      [2, 5, 2],
      [4, 5, 2],
    ]);
    expect(sqs.records).to.deep.equal([1, 2, 3, 4, 5].map((id) => refOf('contractors', id)));
  });

  it('plans id ranges of similar width that cover the table once, from id 0 up to the highest id the ledger orders (rows deleted at either end are found)', async () => {
    const { producer, scope } = aProducer(contractors(...Array.from({ length: 10 }, (_, i) => i + 1)));

    const { ranges } = await producer.plan(scope('contractors', { sourceBatchSize: 2, producers: 4 }));

    expect(ranges).to.deep.equal([
      { id: 'r0', afterId: 0, lastId: 3 },
      { id: 'r1', afterId: 3, lastId: 6 },
      { id: 'r2', afterId: 6, lastId: 9 },
      { id: 'r3', afterId: 9, lastId: MAX_SOURCE_ID },
    ]);
  });
});
