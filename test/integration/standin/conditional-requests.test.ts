import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { call, contractor, create, project, putDocument, startTestStandin, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: If-Match on PATCH, the replacing PUT and DELETE', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin();
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  const ifMatch = (value: string): Record<string, string> => ({ 'if-match': value });

  it('PATCH with the current version changes the record; with another one answers 412 version_mismatch with the current object and changes nothing', async () => {
    const id = await create(standin, 'projects', project('im:p'));
    const changed = await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'Een' }, headers: ifMatch('"1"') });
    expect(changed.status).to.equal(200);
    expect(changed.headers.etag).to.equal('"2"');
    const stale = await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'Twee' }, headers: ifMatch('"1"') });
    expect(stale.status).to.equal(412);
    expect(stale.json.error.code).to.equal('version_mismatch');
    expect(stale.json.error.current).to.deep.equal(changed.json);
    expect((await call(standin, 'GET', `/v1/projects/${id}`)).json).to.deep.equal(changed.json);
  });

  it('checks If-Match before the body: a stale patch that would not validate is 412, not 422', async () => {
    const id = await create(standin, 'contractors', contractor('im:k'));
    await call(standin, 'PATCH', `/v1/contractors/${id}`, { body: { phone: '0301234567' } });
    const result = await call(standin, 'PATCH', `/v1/contractors/${id}`, { body: { kvkNumber: 'bad' }, headers: ifMatch('"1"') });
    expect(result.status).to.equal(412);
  });

  it('DELETE with another version answers 412 and keeps the record; with the current one deletes it', async () => {
    const id = await create(standin, 'contractors', contractor('im:d'));
    await call(standin, 'PATCH', `/v1/contractors/${id}`, { body: { name: 'Person changed it' } });
    const stale = await call(standin, 'DELETE', `/v1/contractors/${id}`, { headers: ifMatch('"1"') });
    expect(stale.status).to.equal(412);
    expect(stale.json.error.current).to.include({ id, version: 2, name: 'Person changed it' });
    expect((await call(standin, 'GET', `/v1/contractors/${id}`)).status).to.equal(200);
    expect((await call(standin, 'DELETE', `/v1/contractors/${id}`, { headers: ifMatch('"2"') })).status).to.equal(204);
    // Gone is 404, whatever If-Match says.
    expect((await call(standin, 'DELETE', `/v1/contractors/${id}`, { headers: ifMatch('"2"') })).status).to.equal(404);
  });

  it('the replacing document PUT with another version answers 412 and keeps the old bytes', async () => {
    const { workOrderId } = await workOrderChain(standin, 'im:doc');
    const created = await putDocument(standin, workOrderId, 'im:doc:d', 'first');
    await putDocument(standin, workOrderId, 'im:doc:d', 'second');
    const stale = await putDocument(standin, workOrderId, 'im:doc:d', 'third', ifMatch('"1"'));
    expect(stale.status).to.equal(412);
    expect(stale.json.error.current).to.include({ id: created.json.id, version: 2 });
    expect((await call(standin, 'GET', `/v1/documents/${created.json.id}/content`)).bytes.toString()).to.equal('second');
    const current = await putDocument(standin, workOrderId, 'im:doc:d', 'third', ifMatch('"2"'));
    expect(current.json.version).to.equal(3);
    const deleteStale = await call(standin, 'DELETE', `/v1/work-orders/${workOrderId}/documents/im:doc:d`, { headers: ifMatch('"2"') });
    expect(deleteStale.status).to.equal(412);
    expect((await call(standin, 'DELETE', `/v1/work-orders/${workOrderId}/documents/im:doc:d`, { headers: ifMatch('"3"') })).status).to.equal(204);
  });

  it('a document PUT with If-Match where no document exists answers 412 with current null and creates nothing', async () => {
    const { workOrderId } = await workOrderChain(standin, 'im:none');
    const result = await putDocument(standin, workOrderId, 'im:none:d', 'bytes', ifMatch('"1"'));
    expect(result.status).to.equal(412);
    expect(result.json.error).to.deep.include({ code: 'version_mismatch', current: null });
    expect((await call(standin, 'GET', '/v1/documents')).json.items).to.have.length(0);
  });

  it('matches * and any tag of a list; a weak tag never matches (strong comparison)', async () => {
    const id = await create(standin, 'projects', project('im:list'));
    expect((await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'A' }, headers: ifMatch('*') })).status).to.equal(200);
    expect((await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'B' }, headers: ifMatch('"7", "2"') })).status).to.equal(200);
    expect((await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'C' }, headers: ifMatch('W/"3"') })).status).to.equal(412);
  });

  it('answers 400 malformed_request to an If-Match that is neither * nor entity tags, changing nothing', async () => {
    const id = await create(standin, 'projects', project('im:bad'));
    for (const value of ['1', '"1', '']) {
      const result = await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'X' }, headers: ifMatch(value) });
      expect(result.status, value).to.equal(400);
      expect(result.json.error.details).to.deep.equal([{ field: 'If-Match', issue: 'must be * or "<version>"' }]);
    }
    expect((await call(standin, 'GET', `/v1/projects/${id}`)).json.version).to.equal(1);
  });
});
