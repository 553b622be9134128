import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { call, digestOf, putDocument, startTestStandin, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: replacing and deleting documents', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin();
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  it('replaces the content with other bytes at the same URL: 200, same id, version + 1, new metadata and bytes', async () => {
    const { workOrderId } = await workOrderChain(standin, 'dc');
    const created = await putDocument(standin, workOrderId, 'dc:d', 'old bytes');
    const replaced = await putDocument(standin, workOrderId, 'dc:d', 'new, longer bytes', { 'content-type': 'image/jpeg', 'x-file-name': 'foto.jpg' });
    expect(replaced.status).to.equal(200);
    expect(replaced.headers.etag).to.equal('"2"');
    expect(replaced.json).to.include({
      id: created.json.id,
      externalRef: 'dc:d',
      workOrderId,
      contentType: 'image/jpeg',
      fileName: 'foto.jpg',
      sizeBytes: 17,
      version: 2,
    });
    expect(replaced.json.createdAt).to.equal(created.json.createdAt);
    const content = await call(standin, 'GET', `/v1/documents/${created.json.id}/content`);
    expect(content.bytes.toString()).to.equal('new, longer bytes');
    expect(content.headers['content-digest']).to.equal(digestOf('new, longer bytes'));
    expect((await call(standin, 'GET', `/v1/documents/${created.json.id}`)).json).to.deep.equal(replaced.json);
    expect((await call(standin, 'GET', '/v1/documents')).json.items).to.have.length(1);
  });

  it('keeps a repeat PUT of identical bytes a no-op 200 with the version unchanged', async () => {
    const { workOrderId } = await workOrderChain(standin, 'dn');
    await putDocument(standin, workOrderId, 'dn:d', 'one');
    const replaced = await putDocument(standin, workOrderId, 'dn:d', 'two');
    const again = await putDocument(standin, workOrderId, 'dn:d', 'two');
    expect(again.status).to.equal(200);
    expect(again.json).to.deep.equal(replaced.json);
    expect(again.json.version).to.equal(2);
  });

  it('deletes a document by its URL with 204; then it is gone and its externalRef free again', async () => {
    const { workOrderId } = await workOrderChain(standin, 'dd');
    const created = await putDocument(standin, workOrderId, 'dd:d', 'bytes');
    const url = `/v1/work-orders/${workOrderId}/documents/dd:d`;
    const deleted = await call(standin, 'DELETE', url);
    expect(deleted.status).to.equal(204);
    expect((await call(standin, 'GET', `/v1/documents/${created.json.id}`)).status).to.equal(404);
    expect((await call(standin, 'GET', `/v1/documents/${created.json.id}/content`)).status).to.equal(404);
    expect((await call(standin, 'DELETE', url)).status).to.equal(404);
    const recreated = await putDocument(standin, workOrderId, 'dd:d', 'bytes');
    expect(recreated.status).to.equal(201);
    expect(recreated.json.id).to.not.equal(created.json.id);
  });

  it('answers 404 to a document DELETE under an unknown work order or under another work order than its own', async () => {
    const { workOrderId } = await workOrderChain(standin, 'dw');
    const { workOrderId: other } = await workOrderChain(standin, 'dw2');
    await putDocument(standin, workOrderId, 'dw:d', 'bytes');
    expect((await call(standin, 'DELETE', '/v1/work-orders/wo_nope/documents/dw:d')).status).to.equal(404);
    expect((await call(standin, 'DELETE', `/v1/work-orders/${other}/documents/dw:d`)).status).to.equal(404);
    expect((await call(standin, 'GET', '/v1/documents?externalRef=dw:d')).json.items).to.have.length(1);
  });

  it('checks a replacing PUT like a first one: a digest mismatch is 422 and keeps the old bytes', async () => {
    const { workOrderId } = await workOrderChain(standin, 'dm');
    const created = await putDocument(standin, workOrderId, 'dm:d', 'good');
    const bad = await putDocument(standin, workOrderId, 'dm:d', 'evil', { 'content-digest': digestOf('other') });
    expect(bad.status).to.equal(422);
    expect(bad.json.error.code).to.equal('digest_mismatch');
    expect((await call(standin, 'GET', `/v1/documents/${created.json.id}/content`)).bytes.toString()).to.equal('good');
    expect((await call(standin, 'GET', `/v1/documents/${created.json.id}`)).json.version).to.equal(1);
  });
});
