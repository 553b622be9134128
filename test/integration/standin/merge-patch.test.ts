import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { call, connection, contractor, create, project, putDocument, startTestStandin, workOrderChain } from './helpers.ts';

const fields = (result: { json: { error: { details: { field: string }[] } } }): string[] => result.json.error.details.map((d) => d.field);

describe('FiberConnect stand-in: PATCH as a JSON merge patch', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin({ jobDelayMs: 0 });
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  const patch = (collection: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
    call(standin, 'PATCH', `/v1/${collection}/${id}`, { body, headers });

  describe('merge semantics (RFC 7386)', () => {
    it('changes the given fields, removes a field set to null, and answers 200 with the changed object at version + 1', async () => {
      const id = await create(standin, 'projects', project('mp:p', { municipality: 'Utrecht', startDate: '2024-01-01' }));
      const result = await patch('projects', id, { name: 'Zuid', municipality: null }, { 'content-type': 'application/merge-patch+json' });
      expect(result.status).to.equal(200);
      expect(result.json).to.include({ id, externalRef: 'mp:p', name: 'Zuid', startDate: '2024-01-01', version: 2 });
      expect(result.json).to.not.have.property('municipality');
      expect((await call(standin, 'GET', `/v1/projects/${id}`)).json).to.deep.equal(result.json);
    });

    it('merges nested objects member by member: address and location', async () => {
      const projectId = await create(standin, 'projects', project('mp:n'));
      const id = await create(standin, 'connections', { ...connection('mp:c', projectId, { houseLetter: 'A' }), location: { lat: 52.1, lon: 5.1 } });
      const result = await patch('connections', id, { address: { houseNumber: 7, houseLetter: null }, location: { lat: 52.2 } });
      expect(result.status).to.equal(200);
      expect(result.json.address).to.deep.equal({ postcode: '1234AB', houseNumber: 7, street: 'Dorpsstraat', city: 'Utrecht' });
      expect(result.json.location).to.deep.equal({ lat: 52.2, lon: 5.1 });
    });

    it('answers 200 with the version unchanged to a patch that changes nothing', async () => {
      const id = await create(standin, 'contractors', contractor('mp:k'));
      const before = (await call(standin, 'GET', `/v1/contractors/${id}`)).json;
      for (const body of [{}, { name: before.name, externalRef: 'mp:k' }, { phone: null }, before]) {
        const result = await patch('contractors', id, body);
        expect(result.status).to.equal(200);
        expect(result.json).to.deep.equal(before);
      }
    });

    it('answers 422 immutable_field to a change of externalRef (or of id, version, createdAt, updatedAt), changing nothing', async () => {
      const id = await create(standin, 'projects', project('mp:i'));
      for (const [body, field] of [
        [{ externalRef: 'mp:other', name: 'X' }, 'externalRef'],
        [{ externalRef: null }, 'externalRef'],
        [{ version: 9 }, 'version'],
        [{ id: 'prj_other' }, 'id'],
      ] as const) {
        const result = await patch('projects', id, body);
        expect(result.status, field).to.equal(422);
        expect(result.json.error.code).to.equal('immutable_field');
        expect(fields(result)).to.deep.equal([field]);
      }
      expect((await call(standin, 'GET', `/v1/projects/${id}`)).json).to.include({ name: 'Noord', version: 1 });
    });

    it('answers 404 for an unknown or deleted id, 400 to a body that is not JSON, 422 to one that is not an object', async () => {
      const id = await create(standin, 'contractors', contractor('mp:g'));
      expect((await patch('contractors', 'ctr_nope', { name: 'X' })).status).to.equal(404);
      expect((await call(standin, 'PATCH', `/v1/contractors/${id}`, { raw: '{"name":', headers: { 'content-type': 'application/json' } })).status).to.equal(
        400,
      );
      expect((await patch('contractors', id, ['name'])).json.error.code).to.equal('validation_failed');
      await call(standin, 'DELETE', `/v1/contractors/${id}`);
      expect((await patch('contractors', id, { name: 'X' })).status).to.equal(404);
    });

    it('does not offer PATCH on documents', async () => {
      const { workOrderId } = await workOrderChain(standin, 'mp:doc');
      const document = await putDocument(standin, workOrderId, 'mp:doc:d', 'bytes');
      expect(document.status).to.equal(201);
      const result = await patch('documents', document.json.id, { fileName: 'b.pdf' });
      expect(result.status).to.equal(404);
      expect(result.json.error.message).to.match(/no route PATCH/);
    });
  });

  describe('the patched object passes every rule of the create (422 validation_failed, nothing changes)', () => {
    it('projects: the schema (a required field removed, an enum, a length) and endDate ≥ startDate', async () => {
      const id = await create(standin, 'projects', project('r:p', { startDate: '2024-03-01' }));
      expect(fields(await patch('projects', id, { name: null }))).to.deep.equal(['name']);
      expect(fields(await patch('projects', id, { status: 'ACTIVE', code: 'x'.repeat(33) }))).to.have.members(['status', 'code']);
      expect(fields(await patch('projects', id, { endDate: '2024-02-29' }))).to.deep.equal(['endDate']);
      expect(fields(await patch('projects', id, { unknownField: 1 }))).to.deep.equal(['unknownField']);
      expect((await patch('projects', id, { endDate: '2024-03-01' })).status).to.equal(200);
      expect((await call(standin, 'GET', `/v1/projects/${id}`)).json.version).to.equal(2);
    });

    it('connections: postcode, location range, an existing project, and 409 duplicate_address in the (new) project', async () => {
      const projectId = await create(standin, 'projects', project('r:cp'));
      const otherProjectId = await create(standin, 'projects', project('r:cp2'));
      const first = await create(standin, 'connections', connection('r:c1', projectId));
      const second = await create(standin, 'connections', connection('r:c2', projectId, { houseNumber: 2 }));
      const inOther = await create(standin, 'connections', connection('r:c3', otherProjectId, { houseNumber: 3 }));
      expect(fields(await patch('connections', second, { address: { postcode: '0123AB' } }))).to.deep.equal(['address.postcode']);
      expect(fields(await patch('connections', second, { location: { lat: 49, lon: 5 } }))).to.deep.equal(['location.lat']);
      expect((await patch('connections', second, { projectId: 'prj_nope' })).json.error.details).to.deep.equal([
        { field: 'projectId', issue: 'no such project' },
      ]);
      const sameAddress = await patch('connections', second, { address: { houseNumber: 1 } });
      expect(sameAddress.status).to.equal(409);
      expect(sameAddress.json.error).to.include({ code: 'duplicate_address', existingId: first });
      const moved = await patch('connections', inOther, { projectId, address: { houseNumber: 2 } });
      expect(moved.json.error).to.include({ code: 'duplicate_address', existingId: second });
      // Its own address is no duplicate, and an address freed by a change is free.
      expect((await patch('connections', first, { address: { houseNumber: 1 }, status: 'READY' })).status).to.equal(200);
      expect((await patch('connections', second, { address: { houseNumber: 9 } })).status).to.equal(200);
      expect((await patch('connections', inOther, { projectId, address: { houseNumber: 2 } })).status).to.equal(200);
      // Moved into the project, the connection is its child.
      expect((await call(standin, 'DELETE', `/v1/projects/${projectId}`)).json.error.code).to.equal('has_children');
    });

    it('contractors: the KvK number and the e-mail address', async () => {
      const id = await create(standin, 'contractors', contractor('r:k'));
      expect(fields(await patch('contractors', id, { kvkNumber: '1234', email: 'not an address' }))).to.have.members(['kvkNumber', 'email']);
      expect((await patch('contractors', id, { email: 'planning@devries.nl', kvkNumber: null })).json).to.include({ email: 'planning@devries.nl', version: 2 });
    });

    it('work orders: create fields, an existing connection, PLANNED needs a contractor, DONE needs completedAt', async () => {
      const { workOrderId, connectionId } = await workOrderChain(standin, 'r:w');
      const contractorId = await create(standin, 'contractors', contractor('r:w:k'));
      expect(fields(await patch('work-orders', workOrderId, { type: 'DIGGING', remarks: 'x'.repeat(2001) }))).to.have.members(['type', 'remarks']);
      expect((await patch('work-orders', workOrderId, { connectionId: 'con_nope' })).json.error.details).to.deep.equal([
        { field: 'connectionId', issue: 'no such connection' },
      ]);
      expect(fields(await patch('work-orders', workOrderId, { status: 'PLANNED' }))).to.deep.equal(['contractorId']);
      expect(fields(await patch('work-orders', workOrderId, { status: null }))).to.deep.equal(['status']);
      const planned = await patch('work-orders', workOrderId, { status: 'PLANNED', contractorId, plannedDate: '2024-06-01', remarks: 'Bellen' });
      expect(planned.json).to.include({ status: 'PLANNED', contractorId, plannedDate: '2024-06-01', connectionId, version: 2 });
      // Removing the contractor of a PLANNED work order breaks the rule; of an OPEN one it is fine.
      expect(fields(await patch('work-orders', workOrderId, { contractorId: null }))).to.deep.equal(['contractorId']);
      expect(fields(await patch('work-orders', workOrderId, { status: 'DONE' }))).to.deep.equal(['completedAt']);
      const reopened = await patch('work-orders', workOrderId, { status: 'OPEN', contractorId: null, remarks: null });
      expect(reopened.json).to.include({ status: 'OPEN', contractorId: null, completedAt: null, version: 3 });
      expect(reopened.json).to.not.have.property('remarks');
      // Without its contractor the work order no longer holds the contractor back.
      expect((await call(standin, 'DELETE', `/v1/contractors/${contractorId}`)).status).to.equal(204);
    });

    it('planboard slots: end after start, an existing work order, and 409 planboard_not_ready while its job is PENDING', async () => {
      const { workOrderId } = await workOrderChain(standin, 'r:s');
      const id = await create(standin, 'planboard-slots', {
        externalRef: 'r:s:s',
        workOrderId,
        team: 'A',
        start: '2024-05-01T08:00:00Z',
        end: '2024-05-01T10:00:00Z',
      });
      expect((await patch('planboard-slots', id, { end: '2024-05-01T08:00:00Z' })).json.error.details).to.deep.equal([
        { field: 'end', issue: 'must be after start' },
      ]);
      expect([...new Set(fields(await patch('planboard-slots', id, { start: 'tomorrow' })))]).to.deep.equal(['start']);
      expect((await patch('planboard-slots', id, { workOrderId: 'wo_nope' })).json.error.details[0].field).to.equal('workOrderId');
      standin.app.standin.config.jobDelayMs = 60_000;
      try {
        const { workOrderId: pending } = await workOrderChain(standin, 'r:s2');
        expect((await patch('planboard-slots', id, { workOrderId: pending })).json.error.code).to.equal('planboard_not_ready');
      } finally {
        standin.app.standin.config.jobDelayMs = 0;
      }
      const moved = await patch('planboard-slots', id, { team: 'B', end: '2024-05-01T11:00:00+02:00' });
      expect(moved.json).to.include({ team: 'B', version: 2 });
      expect((await call(standin, 'GET', `/v1/planboard-slots/${id}`)).json.version).to.equal(2);
    });
  });
});
