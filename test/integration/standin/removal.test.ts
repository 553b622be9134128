import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, call, connection, contractor, create, project, putDocument, startTestStandin, workOrder, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: removal, and what outlives a removed record', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin({ jobDelayMs: 0 });
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  const post = (collection: string, body: object, key: string) => call(standin, 'POST', `/v1/${collection}`, { body, headers: { 'idempotency-key': key } });

  it('answers 409 has_children for each kind of child, and 204 once the last child is gone', async () => {
    const { projectId, connectionId, workOrderId } = await workOrderChain(standin, 'rm');
    const contractorId = await create(standin, 'contractors', contractor('rm:k'));
    await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body: { status: 'PLANNED', contractorId } });
    await putDocument(standin, workOrderId, 'rm:d', 'bytes');
    const slotId = await create(standin, 'planboard-slots', {
      externalRef: 'rm:s',
      workOrderId,
      team: 'A',
      start: '2024-05-01T08:00:00Z',
      end: '2024-05-01T09:00:00Z',
    });
    const refused = async (collection: string, id: string): Promise<void> => {
      const result = await call(standin, 'DELETE', `/v1/${collection}/${id}`);
      expect(result.status, collection).to.equal(409);
      expect(result.json.error.code, collection).to.equal('has_children');
    };
    await refused('projects', projectId);
    await refused('connections', connectionId);
    await refused('contractors', contractorId);
    await refused('work-orders', workOrderId);
    expect((await call(standin, 'DELETE', `/v1/work-orders/${workOrderId}/documents/rm:d`)).status).to.equal(204);
    await refused('work-orders', workOrderId); // the slot is still there
    expect((await call(standin, 'DELETE', `/v1/planboard-slots/${slotId}`)).status).to.equal(204);
    for (const [collection, id] of [
      ['work-orders', workOrderId],
      ['contractors', contractorId],
      ['connections', connectionId],
      ['projects', projectId],
    ] as const) {
      expect((await call(standin, 'DELETE', `/v1/${collection}/${id}`)).status, collection).to.equal(204);
    }
  });

  it('a removed record is gone from GET by id, lookup and list, and a second DELETE is 404', async () => {
    const keep = await create(standin, 'projects', project('rm:keep'));
    const gone = await create(standin, 'projects', project('rm:gone'));
    expect((await call(standin, 'DELETE', `/v1/projects/${gone}`)).status).to.equal(204);
    expect((await call(standin, 'GET', `/v1/projects/${gone}`)).status).to.equal(404);
    expect((await call(standin, 'GET', '/v1/projects?externalRef=rm:gone')).json.items).to.deep.equal([]);
    expect((await call(standin, 'GET', '/v1/projects')).json.items.map((p: { id: string }) => p.id)).to.deep.equal([keep]);
    expect((await call(standin, 'DELETE', `/v1/projects/${gone}`)).json.error.code).to.equal('not_found');
  });

  it('a deleted work order takes its planboard-preparation job with it', async () => {
    const { workOrderId } = await workOrderChain(standin, 'rm:job');
    expect((await call(standin, 'GET', '/v1/jobs')).json.total).to.equal(1);
    await call(standin, 'DELETE', `/v1/work-orders/${workOrderId}`);
    expect((await call(standin, 'GET', '/v1/jobs')).json.total).to.equal(0);
  });

  it('replays a create with the key of a deleted record: the old answer with the dead id', async () => {
    const first = await post('projects', project('rm:idem'), 'dead-key');
    await call(standin, 'DELETE', `/v1/projects/${first.json.id}`);
    const replay = await post('projects', project('rm:idem'), 'dead-key');
    expect(replay.status).to.equal(201);
    expect(replay.headers['idempotent-replayed']).to.equal('true');
    expect(replay.json).to.deep.equal(first.json);
    expect((await call(standin, 'GET', `/v1/projects/${first.json.id}`)).status).to.equal(404);
    expect((await call(standin, 'GET', '/v1/projects')).json.items).to.deep.equal([]);
  });

  it('frees the externalRef of a deleted record for a create with a new key, under a new id at version 1', async () => {
    const projectId = await create(standin, 'projects', project('rm:p'));
    const first = await post('connections', connection('rm:c', projectId), 'key-1');
    await call(standin, 'PATCH', `/v1/connections/${first.json.id}`, { body: { status: 'READY' } });
    await call(standin, 'DELETE', `/v1/connections/${first.json.id}`);
    // The address is free again too.
    const again = await post('connections', connection('rm:c', projectId), 'key-2');
    expect(again.status).to.equal(201);
    expect(again.headers['idempotent-replayed']).to.equal(undefined);
    expect(again.json.id).to.not.equal(first.json.id);
    expect(again.json).to.include({ externalRef: 'rm:c', version: 1, status: 'NEW' });
    expect((await call(standin, 'GET', '/v1/connections?externalRef=rm:c')).json.items.map((c: { id: string }) => c.id)).to.deep.equal([again.json.id]);
    // The old key still answers with the dead id.
    expect((await post('connections', connection('rm:c', projectId), 'key-1')).json.id).to.equal(first.json.id);
  });

  it('a work order created again after its removal enqueues a new job and triggers the workflows again', async () => {
    const { connectionId, workOrderId } = await workOrderChain(standin, 'rm:wo');
    await call(standin, 'DELETE', `/v1/work-orders/${workOrderId}`);
    const again = await create(standin, 'work-orders', workOrder('rm:wo:w', connectionId));
    expect(again).to.not.equal(workOrderId);
    expect((await call(standin, 'GET', '/v1/jobs')).json.items.map((j: { workOrderId: string }) => j.workOrderId)).to.deep.equal([again]);
    const triggers = (await admin(standin, 'GET', '/admin/state?customer=demo')).json.customers.demo.workflowTriggers;
    expect(triggers.map((t: { workOrderId: string }) => t.workOrderId)).to.deep.equal([workOrderId, workOrderId, again, again]);
  });
});
