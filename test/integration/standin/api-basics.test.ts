import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { ACME, call, connection, contractor, create, project, putDocument, startTestStandin, workOrder, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: authentication, errors and lookup', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin();
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  describe('authentication and error bodies', () => {
    it('answers 401 with the error body when the bearer token is missing or wrong', async () => {
      for (const token of [null, 'wrong-token']) {
        const result = await call(standin, 'GET', '/v1/projects', { token });
        expect(result.status).to.equal(401);
        expect(result.json).to.deep.equal({ error: { code: 'unauthorized', message: 'missing or invalid bearer token' } });
      }
    });

    it('scopes all data per customer: another customer neither sees nor finds a resource', async () => {
      const id = await create(standin, 'projects', project('shared:ref'));
      expect((await call(standin, 'GET', `/v1/projects/${id}`, { token: ACME })).status).to.equal(404);
      expect((await call(standin, 'GET', '/v1/projects?externalRef=shared:ref', { token: ACME })).json.items).to.have.length(0);
      expect((await call(standin, 'GET', '/v1/projects', { token: ACME })).json.items).to.have.length(0);
      // the same externalRef is free for the other customer
      expect(await create(standin, 'projects', project('shared:ref'), ACME)).to.match(/^prj_/);
    });

    it('answers 400 malformed_request to a body that is not JSON', async () => {
      const result = await call(standin, 'POST', '/v1/projects', { raw: '{"externalRef":', headers: { 'content-type': 'application/json' } });
      expect(result.status).to.equal(400);
      expect(result.json.error.code).to.equal('malformed_request');
    });

    it('answers 404 not_found with the error body for an unknown id or route', async () => {
      const unknownId = await call(standin, 'GET', '/v1/projects/prj_nope');
      expect(unknownId.status).to.equal(404);
      expect(unknownId.json.error.code).to.equal('not_found');
      expect((await call(standin, 'GET', '/v1/nothing-here')).json.error.code).to.equal('not_found');
    });
  });

  describe('create, lookup and listing', () => {
    it('creates a resource with an opaque string id and returns it by id', async () => {
      const created = await call(standin, 'POST', '/v1/projects', { body: project('p:1', { municipality: 'Utrecht' }) });
      expect(created.status).to.equal(201);
      expect(created.json.id)
        .to.be.a('string')
        .and.match(/^prj_\w+$/);
      expect(created.json).to.include({ externalRef: 'p:1', code: 'NRD', name: 'Noord', status: 'IN_PROGRESS', municipality: 'Utrecht' });
      const fetched = await call(standin, 'GET', `/v1/projects/${created.json.id}`);
      expect(fetched.json).to.deep.equal(created.json);
    });

    it('finds a resource by externalRef with 0 or 1 items', async () => {
      const id = await create(standin, 'contractors', contractor('fp_demo:contractors:7'));
      const found = await call(standin, 'GET', `/v1/contractors?externalRef=${encodeURIComponent('fp_demo:contractors:7')}`);
      expect(found.json.items.map((i: { id: string }) => i.id)).to.deep.equal([id]);
      expect((await call(standin, 'GET', '/v1/contractors?externalRef=missing')).json).to.deep.equal({ items: [] });
    });

    it('pages with limit and cursor until nextCursor is null, every item once', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) ids.push(await create(standin, 'projects', project(`page:${i}`)));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor === null ? 'limit=3' : `limit=3&cursor=${cursor}`;
        const page = await call(standin, 'GET', `/v1/projects?${query}`);
        expect(page.status).to.equal(200);
        seen.push(...page.json.items.map((i: { id: string }) => i.id));
        cursor = page.json.nextCursor;
        pages += 1;
      } while (cursor !== null);
      expect(pages).to.equal(3);
      expect(seen).to.deep.equal(ids);
    });

    it('answers 400 to a bad limit or cursor', async () => {
      expect((await call(standin, 'GET', '/v1/projects?limit=0')).status).to.equal(400);
      expect((await call(standin, 'GET', '/v1/projects?cursor=bogus')).status).to.equal(400);
    });

    it('answers 409 duplicate_external_ref with existingId for a second create of an externalRef', async () => {
      const id = await create(standin, 'projects', project('dup:1'));
      const again = await call(standin, 'POST', '/v1/projects', { body: project('dup:1', { name: 'Other' }) });
      expect(again.status).to.equal(409);
      expect(again.json.error).to.include({ code: 'duplicate_external_ref', existingId: id });
    });
  });

  describe('removal', () => {
    it('deletes a resource with 204, after which it is gone', async () => {
      const id = await create(standin, 'projects', project('del:1'));
      const deleted = await call(standin, 'DELETE', `/v1/projects/${id}`);
      expect(deleted.status).to.equal(204);
      expect(deleted.bytes.length).to.equal(0);
      expect((await call(standin, 'GET', `/v1/projects/${id}`)).status).to.equal(404);
      expect((await call(standin, 'DELETE', `/v1/projects/${id}`)).status).to.equal(404);
    });

    it('refuses with 409 has_children to delete a parent while children exist: project, connection, work order, contractor', async () => {
      const { projectId, connectionId, workOrderId } = await workOrderChain(standin, 'tree');
      const contractorId = await create(standin, 'contractors', contractor('tree:ctr'));
      expect((await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body: { status: 'PLANNED', contractorId } })).status).to.equal(200);
      expect((await putDocument(standin, workOrderId, 'tree:doc', 'pdf bytes')).status).to.equal(201);
      for (const [collection, id] of [
        ['projects', projectId],
        ['connections', connectionId],
        ['work-orders', workOrderId],
        ['contractors', contractorId],
      ]) {
        const refused = await call(standin, 'DELETE', `/v1/${collection}/${id}`);
        expect(refused.status, collection).to.equal(409);
        expect(refused.json.error.code).to.equal('has_children');
      }
      // bottom-up removal works
      const documentId = (await call(standin, 'GET', '/v1/documents?externalRef=tree:doc')).json.items[0].id;
      for (const [collection, id] of [
        ['documents', documentId],
        ['work-orders', workOrderId],
        ['contractors', contractorId],
        ['connections', connectionId],
        ['projects', projectId],
      ]) {
        expect((await call(standin, 'DELETE', `/v1/${collection}/${id}`)).status, collection).to.equal(204);
      }
    });

    it('refuses to delete a work order that has a planboard slot', async () => {
      const { workOrderId } = await workOrderChain(standin, 'slot-child');
      await new Promise((resolve) => setTimeout(resolve, 250));
      await create(standin, 'planboard-slots', {
        externalRef: 'slot-child:s',
        workOrderId,
        team: 'A',
        start: '2024-05-01T08:00:00+02:00',
        end: '2024-05-01T12:00:00+02:00',
      });
      expect((await call(standin, 'DELETE', `/v1/work-orders/${workOrderId}`)).json.error.code).to.equal('has_children');
    });
  });

  describe('validation with the shared schemas', () => {
    it('answers 422 validation_failed naming every field at fault', async () => {
      const result = await call(standin, 'POST', '/v1/projects', { body: { externalRef: 'v:1', code: 'X', status: 'ACTIVE' } });
      expect(result.status).to.equal(422);
      expect(result.json.error.code).to.equal('validation_failed');
      expect(result.json.error.details.map((d: { field: string }) => d.field)).to.have.members(['name', 'status']);
    });

    it('refuses a project name over 200 characters (field name)', async () => {
      const result = await call(standin, 'POST', '/v1/projects', { body: project('v:2', { name: 'x'.repeat(201) }) });
      expect(result.status).to.equal(422);
      expect(result.json.error.details).to.deep.include({ field: 'name', issue: 'must NOT have more than 200 characters' });
    });

    it('refuses a project whose endDate is before its startDate (field endDate)', async () => {
      const result = await call(standin, 'POST', '/v1/projects', {
        body: project('v:3', { startDate: '2024-03-02', endDate: '2024-03-01' }),
      });
      expect(result.status).to.equal(422);
      expect(result.json.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['endDate']);
      expect((await call(standin, 'POST', '/v1/projects', { body: project('v:4', { startDate: '2024-03-02', endDate: '2024-03-02' }) })).status).to.equal(201);
    });

    it('refuses a connection with an invalid postcode (field address.postcode) or a house number of 0', async () => {
      const projectId = await create(standin, 'projects', project('v:p'));
      const result = await call(standin, 'POST', '/v1/connections', {
        body: connection('v:c', projectId, { postcode: '1234 ab', houseNumber: 0 }),
      });
      expect(result.status).to.equal(422);
      expect(result.json.error.details.map((d: { field: string }) => d.field)).to.have.members(['address.postcode', 'address.houseNumber']);
    });

    it('refuses a contractor with a KvK number that is not 8 digits (field kvkNumber)', async () => {
      const result = await call(standin, 'POST', '/v1/contractors', { body: { externalRef: 'v:k', name: 'X', kvkNumber: '1234 567' } });
      expect(result.status).to.equal(422);
      expect(result.json.error.details[0].field).to.equal('kvkNumber');
    });

    it('refuses references to ids that do not exist for the customer (projectId, connectionId, workOrderId)', async () => {
      const otherProject = await create(standin, 'projects', project('other:p'), ACME);
      const conn = await call(standin, 'POST', '/v1/connections', { body: connection('r:c', otherProject) });
      expect(conn.status).to.equal(422);
      expect(conn.json.error.details).to.deep.equal([{ field: 'projectId', issue: 'no such project' }]);
      const wo = await call(standin, 'POST', '/v1/work-orders', { body: workOrder('r:w', 'con_missing') });
      expect(wo.json.error.details[0].field).to.equal('connectionId');
      const slot = await call(standin, 'POST', '/v1/planboard-slots', {
        body: { externalRef: 'r:s', workOrderId: 'wo_missing', team: 'A', start: '2024-05-01T08:00:00Z', end: '2024-05-01T09:00:00Z' },
      });
      expect(slot.json.error.details[0].field).to.equal('workOrderId');
    });
  });

  describe('connections', () => {
    it('answers 409 duplicate_address for the same postcode, number, letter and addition in one project', async () => {
      const projectId = await create(standin, 'projects', project('a:p'));
      const otherProjectId = await create(standin, 'projects', project('a:p2'));
      const address = { houseLetter: 'A', houseAddition: 'bis' };
      const firstId = await create(standin, 'connections', connection('a:1', projectId, address));
      const same = await call(standin, 'POST', '/v1/connections', { body: connection('a:2', projectId, address) });
      expect(same.status).to.equal(409);
      expect(same.json.error).to.include({ code: 'duplicate_address', existingId: firstId });
      // another addition, or another project, is another address
      await create(standin, 'connections', connection('a:3', projectId, { houseLetter: 'A', houseAddition: 'ter' }));
      await create(standin, 'connections', connection('a:4', otherProjectId, address));
    });
  });
});
