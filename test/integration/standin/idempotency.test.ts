import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, call, project, sleep, startTestStandin, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: Idempotency-Key', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin({ jobDelayMs: 200 });
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  const post = (path: string, body: unknown, key: string) => call(standin, 'POST', path, { body, headers: { 'idempotency-key': key } });

  it('replays the original status and body with Idempotent-Replayed: true, creating nothing twice', async () => {
    const first = await post('/v1/projects', project('idem:1'), 'key-1');
    // the same body with its keys in another order is the same request
    const { externalRef, ...rest } = project('idem:1') as { externalRef: string };
    const again = await post('/v1/projects', { ...rest, externalRef }, 'key-1');
    expect(first.status).to.equal(201);
    expect(first.headers['idempotent-replayed']).to.equal(undefined);
    expect(again.status).to.equal(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.json).to.deep.equal(first.json);
    expect((await call(standin, 'GET', '/v1/projects')).json.items).to.have.length(1);
  });

  it('answers 422 idempotency_key_reused to the same key with another body or on another path', async () => {
    await post('/v1/projects', project('idem:2'), 'key-2');
    const otherBody = await post('/v1/projects', project('idem:3'), 'key-2');
    expect(otherBody.status).to.equal(422);
    expect(otherBody.json.error.code).to.equal('idempotency_key_reused');
    const otherPath = await post('/v1/contractors', project('idem:2'), 'key-2');
    expect(otherPath.json.error.code).to.equal('idempotency_key_reused');
  });

  it('answers 400 to an Idempotency-Key that is empty or longer than 255 characters', async () => {
    expect((await post('/v1/projects', project('idem:4'), '')).status).to.equal(400);
    expect((await post('/v1/projects', project('idem:4'), 'k'.repeat(256))).status).to.equal(400);
    expect((await post('/v1/projects', project('idem:4'), 'k'.repeat(255))).status).to.equal(201);
  });

  it('keeps keys per customer: the same key of another customer is another request', async () => {
    await post('/v1/projects', project('idem:5'), 'shared-key');
    const acme = await call(standin, 'POST', '/v1/projects', { body: project('idem:6'), token: 'acme-token', headers: { 'idempotency-key': 'shared-key' } });
    expect(acme.status).to.equal(201);
    expect(acme.headers['idempotent-replayed']).to.equal(undefined);
  });

  it('does not store error answers: a retry with the same key after planboard_not_ready is processed afresh', async () => {
    const { workOrderId } = await workOrderChain(standin, 'idem-pb');
    const slot = { externalRef: 'idem-pb:s', workOrderId, team: 'A', start: '2024-05-01T08:00:00Z', end: '2024-05-01T09:00:00Z' };
    expect((await post('/v1/planboard-slots', slot, 'slot-key')).status).to.equal(409);
    await sleep(250);
    const retried = await post('/v1/planboard-slots', slot, 'slot-key');
    expect(retried.status).to.equal(201);
    expect(retried.headers['idempotent-replayed']).to.equal(undefined);
  });

  it('records the key and the replayed flag in the request log', async () => {
    await post('/v1/projects', project('idem:7'), 'logged-key');
    await post('/v1/projects', project('idem:7'), 'logged-key');
    const items = (await admin(standin, 'GET', '/admin/requests')).json.items.filter((i: { idempotencyKey: string }) => i.idempotencyKey === 'logged-key');
    expect(items.map((i: { replayed: boolean; status: number }) => [i.status, i.replayed])).to.deep.equal([
      [201, false],
      [201, true],
    ]);
  });
});
