import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { ADMIN, admin, call, connection, contractor, create, digestOf, project, startTestStandin, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: changes made as a person (admin)', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin();
  });
  after(() => standin.close());
  beforeEach(() => {
    standin.reset();
    standin.setRateLimit({ rate: 0, burst: 1 });
    standin.setFaults({ errorRate: 0, force429Rate: 0, dropRate: 0 });
  });

  const apiRequests = async (): Promise<string[]> =>
    (await admin(standin, 'GET', '/admin/requests')).json.items.map((i: { method: string; path: string }) => `${i.method} ${i.path}`);

  it('a person’s PATCH bumps the version, so the API’s If-Match of the old version gets 412; it is not in the request log', async () => {
    const id = await create(standin, 'projects', project('pc:p'));
    const changed = await admin(standin, 'PATCH', `/admin/customers/demo/projects/${id}`, { name: 'Renamed by a person', municipality: 'Utrecht' });
    expect(changed.status).to.equal(200);
    expect(changed.json).to.include({ name: 'Renamed by a person', version: 2 });
    const stale = await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'From the engine' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).to.equal(412);
    expect(stale.json.error.current).to.deep.equal(changed.json);
    expect(await apiRequests()).to.deep.equal(['POST /v1/projects', `PATCH /v1/projects/${id}`]);
  });

  it('a person’s PATCH is validated like the API’s', async () => {
    const id = await create(standin, 'projects', project('pc:v', { startDate: '2024-03-01' }));
    const invalid = await admin(standin, 'PATCH', `/admin/customers/demo/projects/${id}`, { endDate: '2024-01-01' });
    expect(invalid.status).to.equal(422);
    expect(invalid.json.error.details).to.deep.equal([{ field: 'endDate', issue: 'must not be before startDate' }]);
    expect((await admin(standin, 'PATCH', `/admin/customers/demo/projects/${id}`, { externalRef: 'x' })).json.error.code).to.equal('immutable_field');
  });

  it('a person creates a child under a migrated parent, which then refuses DELETE with has_children', async () => {
    const { connectionId } = await workOrderChain(standin, 'pc:c');
    const child = await admin(standin, 'POST', '/admin/customers/demo/work-orders', { externalRef: 'person:w', connectionId, type: 'CIVIL' });
    expect(child.status).to.equal(201);
    expect(child.json).to.include({ connectionId, status: 'OPEN', version: 1 });
    expect((await call(standin, 'GET', `/v1/work-orders/${child.json.id}`)).json).to.deep.equal(child.json);
    expect((await call(standin, 'DELETE', `/v1/connections/${connectionId}`)).json.error.code).to.equal('has_children');
    // Like one made through the API, the person's work order has a planboard job.
    expect((await call(standin, 'GET', '/v1/jobs')).json.items.map((j: { workOrderId: string }) => j.workOrderId)).to.include(child.json.id);
  });

  it('a person’s create follows the API’s rules (422, 409 duplicate_external_ref) and holds no Idempotency-Key', async () => {
    const projectId = await create(standin, 'projects', project('pc:r'));
    expect((await admin(standin, 'POST', '/admin/customers/demo/connections', connection('pc:r:c', 'prj_nope'))).status).to.equal(422);
    const body = connection('pc:r:c', projectId);
    const result = await call(standin, 'POST', '/admin/customers/demo/connections', { token: ADMIN, body, headers: { 'idempotency-key': 'ignored' } });
    expect(result.status).to.equal(201);
    const again = await admin(standin, 'POST', '/admin/customers/demo/connections', body);
    expect(again.status).to.equal(409);
    expect(again.json.error).to.include({ code: 'duplicate_external_ref', existingId: result.json.id });
    expect((await admin(standin, 'GET', '/admin/state?customer=demo')).json.customers.demo.idempotencyKeys).to.equal(0);
    // The engine then finds what the person created, as FiberConnect's own.
    const engine = await call(standin, 'POST', '/v1/connections', { body, headers: { 'idempotency-key': 'engine-key' } });
    expect(engine.json.error).to.include({ code: 'duplicate_external_ref', existingId: result.json.id });
  });

  it('a person deletes a record, with the API’s rules (404, 409 has_children, If-Match)', async () => {
    const contractorId = await create(standin, 'contractors', contractor('pc:d'));
    expect(
      (await call(standin, 'DELETE', `/admin/customers/demo/contractors/${contractorId}`, { token: ADMIN, headers: { 'if-match': '"5"' } })).status,
    ).to.equal(412);
    expect((await admin(standin, 'DELETE', `/admin/customers/demo/contractors/${contractorId}`)).status).to.equal(204);
    expect((await admin(standin, 'DELETE', `/admin/customers/demo/contractors/${contractorId}`)).status).to.equal(404);
    const { projectId } = await workOrderChain(standin, 'pc:tree');
    expect((await admin(standin, 'DELETE', `/admin/customers/demo/projects/${projectId}`)).json.error.code).to.equal('has_children');
  });

  it('a person replaces and deletes a document; the engine’s replacing PUT of the old version then gets 412', async () => {
    const { workOrderId } = await workOrderChain(standin, 'pc:doc');
    const url = (base: string) => `${base}/work-orders/${workOrderId}/documents/pc:doc:d`;
    const upload = (base: string, bytes: string, token: string | undefined, headers: Record<string, string> = {}) =>
      call(standin, 'PUT', url(base), {
        token,
        raw: bytes,
        headers: { 'content-type': 'application/pdf', 'x-file-name': 'a.pdf', 'content-digest': digestOf(bytes), ...headers },
      });
    expect((await upload('/v1', 'engine bytes', undefined)).status).to.equal(201);
    const byPerson = await upload('/admin/customers/demo', 'person bytes', ADMIN);
    expect(byPerson.status).to.equal(200);
    expect(byPerson.json.version).to.equal(2);
    expect((await upload('/v1', 'engine bytes v2', undefined, { 'if-match': '"1"' })).status).to.equal(412);
    expect((await admin(standin, 'DELETE', url('/admin/customers/demo'))).status).to.equal(204);
    expect((await call(standin, 'GET', '/v1/documents')).json.items).to.deep.equal([]);
    // Only the engine's two PUTs are requests of the customer.
    expect((await apiRequests()).filter((r) => r.includes('/documents/'))).to.deep.equal([`PUT ${url('/v1')}`, `PUT ${url('/v1')}`]);
  });

  it('a person is never rate limited nor fault-injected, and reads a record without a request of the customer', async () => {
    const id = await create(standin, 'projects', project('pc:rl'));
    standin.setRateLimit({ rate: 1, burst: 1 });
    standin.setFaults({ errorRate: 1 });
    for (let i = 0; i < 3; i += 1) {
      expect((await admin(standin, 'PATCH', `/admin/customers/demo/projects/${id}`, { name: `Name ${i}` })).status).to.equal(200);
    }
    const read = await admin(standin, 'GET', `/admin/customers/demo/projects/${id}`);
    expect(read.json).to.include({ name: 'Name 2', version: 4 });
    expect(read.headers.etag).to.equal('"4"');
    expect(await apiRequests()).to.deep.equal(['POST /v1/projects']);
  });

  it('answers 404 for an unknown customer or collection, and 401 without the admin token', async () => {
    expect((await admin(standin, 'POST', '/admin/customers/nobody/projects', project('pc:x'))).status).to.equal(404);
    expect((await admin(standin, 'POST', '/admin/customers/demo/documents', {})).status).to.equal(404);
    expect((await admin(standin, 'POST', '/admin/customers/demo/jobs', {})).status).to.equal(404);
    expect((await call(standin, 'POST', '/admin/customers/demo/projects', { body: project('pc:x') })).status).to.equal(401);
    // A record of another customer is not found under this one.
    const acmeProject = await create(standin, 'projects', project('pc:acme'), 'acme-token');
    expect((await admin(standin, 'PATCH', `/admin/customers/demo/projects/${acmeProject}`, { name: 'X' })).status).to.equal(404);
  });
});
