import { expect } from 'chai';
import { classifyAnswer, idempotencyKey } from '../../../src/pipeline/target-answer.ts';
import type { MappedRequest } from '../../../src/domain/mapping/types.ts';

const request: MappedRequest<unknown> = { externalRef: 'db:projects:1', method: 'POST', path: '/v1/projects', headers: {}, body: { name: 'A' } };
const answer = (status: number, body: unknown, retryAfterSeconds?: number) => ({
  status,
  body,
  replayed: false,
  ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
});

describe('consumer rules for target answers', () => {
  it('takes the created id of a 201 as the target id, as created, with the version it answered', () => {
    expect(classifyAnswer(answer(201, { id: 'prj_1' }), request)).to.deep.equal({ status: 'migrated', targetId: 'prj_1', origin: 'created' });
    expect(classifyAnswer(answer(201, { id: 'prj_1', version: 1 }), request)).to.deep.equal({
      status: 'migrated',
      targetId: 'prj_1',
      origin: 'created',
      targetVersion: 1,
    });
  });

  it("takes a document's own id from its PUT answer, never its work order's", () => {
    const document: MappedRequest<unknown> = {
      externalRef: 'db:documents:7',
      method: 'PUT',
      path: '/v1/work-orders/wo_1/documents/db%3Adocuments%3A7',
      headers: {},
      body: Buffer.from('x'),
    };
    expect(classifyAnswer(answer(201, { id: 'doc_7', workOrderId: 'wo_1' }), document)).to.deep.equal({
      status: 'migrated',
      targetId: 'doc_7',
      origin: 'created',
    });
    expect(classifyAnswer(answer(200, { workOrderId: 'wo_1' }), document)).to.deep.equal({
      status: 'failed',
      code: 'rejected_by_target',
      message: 'answer 200 carried no id',
    });
  });

  it("takes the work order's id from the path of a PATCH answered without one, and claims no origin (a PATCH creates nothing)", () => {
    const update: MappedRequest<unknown> = {
      externalRef: 'db:assignments:100',
      method: 'PATCH',
      path: '/v1/work-orders/wo%2F1',
      headers: {},
      body: { status: 'DONE' },
    };
    expect(classifyAnswer(answer(200, { status: 'DONE' }), update)).to.deep.equal({ status: 'migrated', targetId: 'wo/1' });
    expect(classifyAnswer(answer(200, { id: 'wo_2' }), update)).to.deep.equal({ status: 'migrated', targetId: 'wo_2' });
  });

  it('fails a create answered 2xx without an id', () => {
    expect(classifyAnswer(answer(201, {}), request)).to.deep.equal({ status: 'failed', code: 'rejected_by_target', message: 'answer 201 carried no id' });
  });

  it('adopts existingId of a 409 duplicate_external_ref as migrated, as adopted', () => {
    expect(classifyAnswer(answer(409, { error: { code: 'duplicate_external_ref', message: 'exists', existingId: 'prj_9' } }), request)).to.deep.equal({
      status: 'migrated',
      targetId: 'prj_9',
      origin: 'adopted',
    });
  });

  it('reports a 409 duplicate_address as duplicate', () => {
    expect(classifyAnswer(answer(409, { error: { code: 'duplicate_address', message: 'same address' } }), request)).to.include({
      status: 'failed',
      code: 'duplicate',
    });
  });

  it('treats 429 and 5xx as transient and keeps Retry-After', () => {
    expect(classifyAnswer(answer(429, { error: { code: 'rate_limited', message: 'slow down' } }, 2), request)).to.include({
      status: 'transient',
      retryAfterSeconds: 2,
    });
    expect(classifyAnswer(answer(503, { error: { code: 'service_unavailable', message: 'x' } }), request)).to.include({ status: 'transient' });
  });

  it('treats planboard_not_ready as transient: the job will finish', () => {
    expect(classifyAnswer(answer(409, { error: { code: 'planboard_not_ready', message: 'wait' } }), request)).to.include({ status: 'transient' });
  });

  it('reports any other 4xx as rejected_by_target with the message and the first field', () => {
    const outcome = classifyAnswer(
      answer(422, { error: { code: 'validation_failed', message: 'bad', details: [{ field: 'name', issue: 'too long' }] } }),
      request,
    );
    expect(outcome).to.deep.equal({ status: 'failed', code: 'rejected_by_target', message: '422 validation_failed: bad', field: 'name' });
  });

  it('maps 413 to too_large and digest_mismatch to checksum_mismatch', () => {
    expect(classifyAnswer(answer(413, { error: { code: 'payload_too_large', message: 'big' } }), request)).to.include({ code: 'too_large' });
    expect(classifyAnswer(answer(422, { error: { code: 'digest_mismatch', message: 'digest' } }), request)).to.include({ code: 'checksum_mismatch' });
  });

  it('derives one Idempotency-Key per record and body, within 255 characters', () => {
    const key = idempotencyKey('acme', 'projects', request);
    expect(key).to.equal(idempotencyKey('acme', 'projects', { ...request }));
    expect(key).to.not.equal(idempotencyKey('acme', 'projects', { ...request, body: { name: 'B' } }));
    expect(key.length).to.be.within(1, 255);
  });
});
