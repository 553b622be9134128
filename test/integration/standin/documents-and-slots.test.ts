import { connect } from 'node:net';
import { expect } from 'chai';
import { request } from 'undici';
import { MAX_DOCUMENT_BYTES } from '../../../tooling/standin/constants.ts';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { call, DEMO, digestOf, putDocument, sleep, startTestStandin, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: documents and planboard slots', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin({ jobDelayMs: 200 });
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  describe('documents', () => {
    it('stores a document with 201 the first time and keeps its bytes exact', async () => {
      const { workOrderId } = await workOrderChain(standin, 'doc');
      const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x0a]);
      const created = await putDocument(standin, workOrderId, 'fp:documents:1', bytes);
      expect(created.status).to.equal(201);
      expect(created.json).to.include({ externalRef: 'fp:documents:1', workOrderId, contentType: 'application/pdf', sizeBytes: 8 });
      expect(created.json.id).to.match(/^doc_/);
      const content = await call(standin, 'GET', `/v1/documents/${created.json.id}/content`);
      expect(content.bytes.equals(bytes)).to.equal(true);
      expect(content.headers['content-digest']).to.equal(digestOf(bytes));
    });

    it('answers a repeat PUT with identical bytes 200 without a second document', async () => {
      const { workOrderId } = await workOrderChain(standin, 'rep');
      const first = await putDocument(standin, workOrderId, 'rep:d', 'same bytes');
      const second = await putDocument(standin, workOrderId, 'rep:d', 'same bytes');
      expect([first.status, second.status]).to.deep.equal([201, 200]);
      expect(second.json).to.deep.equal(first.json);
      expect((await call(standin, 'GET', '/v1/documents')).json.items).to.have.length(1);
    });

    it('answers 409 duplicate_external_ref when the externalRef belongs to another work order', async () => {
      const { workOrderId } = await workOrderChain(standin, 'd1');
      const { workOrderId: other } = await workOrderChain(standin, 'd2');
      const id = (await putDocument(standin, workOrderId, 'ref:x', 'version 1')).json.id;
      const otherOrder = await putDocument(standin, other, 'ref:x', 'version 1');
      expect(otherOrder.status).to.equal(409);
      expect(otherOrder.json.error).to.include({ code: 'duplicate_external_ref', existingId: id });
    });

    it('answers 422 digest_mismatch when the bytes do not match Content-Digest', async () => {
      const { workOrderId } = await workOrderChain(standin, 'dig');
      const result = await putDocument(standin, workOrderId, 'dig:d', 'real bytes', { 'content-digest': digestOf('other bytes') });
      expect(result.status).to.equal(422);
      expect(result.json.error.code).to.equal('digest_mismatch');
      expect((await call(standin, 'GET', '/v1/documents')).json.items).to.have.length(0);
    });

    it('answers 422 (field content) to an empty body', async () => {
      const { workOrderId } = await workOrderChain(standin, 'empty');
      const result = await putDocument(standin, workOrderId, 'empty:d', Buffer.alloc(0));
      expect(result.status).to.equal(422);
      expect(result.json.error.details).to.deep.equal([{ field: 'content', issue: 'must not be empty' }]);
    });

    it('answers 422 naming each missing header: Content-Type, X-File-Name, Content-Digest', async () => {
      const { workOrderId } = await workOrderChain(standin, 'hdr');
      const response = await request(`${standin.url}/v1/work-orders/${workOrderId}/documents/hdr:d`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${DEMO}` },
        body: Buffer.from('bytes'),
      });
      const body = (await response.body.json()) as { error: { details: { field: string }[] } };
      expect(response.statusCode).to.equal(422);
      expect(body.error.details.map((d) => d.field)).to.have.members(['contentType', 'fileName', 'contentDigest']);
    });

    it('decodes a percent-encoded UTF-8 X-File-Name', async () => {
      const { workOrderId } = await workOrderChain(standin, 'name');
      const name = 'opname één 📄 مخطط.pdf';
      const result = await putDocument(standin, workOrderId, 'name:d', 'x', { 'x-file-name': encodeURIComponent(name) });
      expect(result.status).to.equal(201);
      expect(result.json.fileName).to.equal(name);
    });

    it('answers 413 to a body over 25 MiB, and 404 for an unknown work order', async () => {
      const { workOrderId } = await workOrderChain(standin, 'big');
      const tooBig = Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x61);
      const result = await putDocument(standin, workOrderId, 'big:d', tooBig);
      expect(result.status).to.equal(413);
      expect(result.json.error.code).to.equal('payload_too_large');
      const exact = await putDocument(standin, workOrderId, 'big:ok', Buffer.alloc(MAX_DOCUMENT_BYTES, 0x61));
      expect(exact.status).to.equal(201);
      expect((await putDocument(standin, 'wo_unknown', 'big:x', 'x')).status).to.equal(404);
    });

    it('answers 413 from Content-Length alone, before reading the body', async () => {
      const { workOrderId } = await workOrderChain(standin, 'early');
      const socket = connect(standin.port, '127.0.0.1');
      let received = '';
      const head = new Promise<string>((resolve, reject) => {
        socket.on('data', (chunk) => {
          received += chunk.toString();
          if (received.includes('\r\n\r\n')) resolve(received);
        });
        socket.on('error', reject);
      });
      // Announces a body one byte over the limit and never sends it: only an early check can answer.
      socket.write(
        `PUT /v1/work-orders/${workOrderId}/documents/early HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${DEMO}\r\n` +
          `Content-Type: application/pdf\r\nX-File-Name: a.pdf\r\nContent-Digest: ${digestOf('x')}\r\n` +
          `Content-Length: ${MAX_DOCUMENT_BYTES + 1}\r\n\r\n`,
      );
      try {
        expect((await head).split('\r\n')[0]).to.equal('HTTP/1.1 413 Payload Too Large');
      } finally {
        socket.destroy();
      }
    });
  });

  describe('planboard slots', () => {
    const slot = (ref: string, workOrderId: string, end = '2024-05-01T12:00:00+02:00'): object => ({
      externalRef: ref,
      workOrderId,
      team: 'Ploeg Noord',
      start: '2024-05-01T08:00:00+02:00',
      end,
    });

    it('answers 409 planboard_not_ready while the work order job is PENDING, and 201 once it is DONE', async () => {
      const { workOrderId } = await workOrderChain(standin, 'pb');
      const early = await call(standin, 'POST', '/v1/planboard-slots', { body: slot('pb:s', workOrderId) });
      expect(early.status).to.equal(409);
      expect(early.json.error.code).to.equal('planboard_not_ready');
      await sleep(250);
      const ready = await call(standin, 'POST', '/v1/planboard-slots', { body: slot('pb:s', workOrderId) });
      expect(ready.status).to.equal(201);
      expect(ready.json).to.include({ workOrderId, team: 'Ploeg Noord' });
      expect(ready.json.id).to.match(/^pbs_/);
    });

    it('refuses a slot whose end is not after its start (field end)', async () => {
      const { workOrderId } = await workOrderChain(standin, 'pbe');
      for (const end of ['2024-05-01T08:00:00+02:00', '2024-05-01T05:30:00Z']) {
        const result = await call(standin, 'POST', '/v1/planboard-slots', { body: slot(`pbe:${end}`, workOrderId, end) });
        expect(result.status).to.equal(422);
        expect(result.json.error.details).to.deep.equal([{ field: 'end', issue: 'must be after start' }]);
      }
    });
  });
});
