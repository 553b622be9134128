import { expect } from 'chai';
import { batchesOf, deduplicationId, encodeMessageBody, MAX_BATCH_ENTRIES, MAX_MESSAGE_BYTES, packRecords } from '../../../src/pipeline/message-packing.ts';
import type { QueuedRecord } from '../../../src/pipeline/types.ts';

const aRecord = (id: number, filler = 0): QueuedRecord => ({ externalRef: `db:projects:${id}`, checksum: `c${id}`, row: { id, name: 'x'.repeat(filler) } });

describe('packing records into SQS messages', () => {
  it('puts several records of one group in one message, up to recordsPerMessage, in the order given', () => {
    const records = [1, 2, 3, 4, 5].map((id) => ({ groupId: 'g', record: aRecord(id) }));
    const messages = packRecords(records, 2, 100);
    expect(messages.map((m) => m.records.map((r) => r.row.id))).to.deep.equal([[1, 2], [3, 4], [5]]);
  });

  it('never mixes message groups in one message', () => {
    const messages = packRecords(
      [
        { groupId: 'a', record: aRecord(1) },
        { groupId: 'b', record: aRecord(2) },
        { groupId: 'a', record: aRecord(3) },
      ],
      10,
      100,
    );
    expect(messages.map((m) => [m.groupId, m.records.length])).to.deep.equal([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('starts a new message before one would pass the byte limit', () => {
    const big = Math.floor(MAX_MESSAGE_BYTES / 3);
    const messages = packRecords(
      [1, 2, 3, 4].map((id) => ({ groupId: 'g', record: aRecord(id, big) })),
      10,
      500,
    );
    expect(messages.length).to.be.greaterThan(1);
    for (const message of messages) expect(Buffer.byteLength(JSON.stringify(message.records))).to.be.at.most(MAX_MESSAGE_BYTES);
  });

  it('sends at most 10 entries per SendMessageBatch', () => {
    const entries = Array.from({ length: 23 }, (_, i) => ({ body: `m${i}` }));
    expect(batchesOf(entries).map((b) => b.length)).to.deep.equal([MAX_BATCH_ENTRIES, MAX_BATCH_ENTRIES, 3]);
  });

  it('derives the same deduplication id from the same records of the same run, another from another run', () => {
    const records = [aRecord(1), aRecord(2)];
    expect(deduplicationId('run-1', records)).to.equal(deduplicationId('run-1', [aRecord(1), aRecord(2)]));
    expect(deduplicationId('run-1', records)).to.not.equal(deduplicationId('run-2', records));
    expect(deduplicationId('run-1', records)).to.have.length.at.most(128);
  });
});

describe('message body encoding', () => {
  it('writes every non-ASCII character as an escape and gives the text back byte-exact', () => {
    const text = 'Straße 😀 شارع \u0000 \u202e';
    const body = encodeMessageBody({ text });
    expect(body).to.match(/^[\x20-\x7e]*$/);
    expect(JSON.parse(body)).to.deep.equal({ text });
  });
});
