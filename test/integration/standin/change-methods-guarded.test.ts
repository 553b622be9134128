import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, call, contractor, create, project, putDocument, startTestStandin, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: PATCH, PUT and DELETE meet the request log, rate limit and faults like any request', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin({ faults: { seed: 11 } });
  });
  after(() => standin.close());
  beforeEach(() => {
    standin.reset();
    standin.setRateLimit({ rate: 0, burst: 1 });
    standin.setFaults({ latencyMs: 0, errorRate: 0, dropRate: 0, force429Rate: 0, dropPhase: 'random' });
  });

  it('logs the method, path and status of every PATCH, PUT and DELETE', async () => {
    const { workOrderId } = await workOrderChain(standin, 'log');
    const contractorId = await create(standin, 'contractors', contractor('log:k'));
    // The log's times are whole milliseconds: a tick apart, the create above cannot share a millisecond with `since`.
    await setTimeout(2);
    const since = Date.now();
    await call(standin, 'PATCH', `/v1/contractors/${contractorId}`, { body: { name: 'X' } });
    await putDocument(standin, workOrderId, 'log-d', 'bytes');
    await call(standin, 'DELETE', `/v1/work-orders/${workOrderId}/documents/log-d`);
    await call(standin, 'DELETE', `/v1/contractors/${contractorId}`, { headers: { 'if-match': '"1"' } });
    const items = (await admin(standin, 'GET', `/admin/requests?since=${since}`)).json.items;
    expect(items.map((i: { method: string; path: string; status: number }) => [i.method, i.path, i.status])).to.deep.equal([
      ['PATCH', `/v1/contractors/${contractorId}`, 200],
      ['PUT', `/v1/work-orders/${workOrderId}/documents/log-d`, 201],
      ['DELETE', `/v1/work-orders/${workOrderId}/documents/log-d`, 204],
      ['DELETE', `/v1/contractors/${contractorId}`, 412],
    ]);
  });

  it('rate-limits PATCH and DELETE with 429 and changes nothing', async () => {
    const id = await create(standin, 'projects', project('rl:p'));
    standin.setRateLimit({ rate: 1, burst: 1 });
    await call(standin, 'GET', `/v1/projects/${id}`);
    const patched = await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'X' } });
    const deleted = await call(standin, 'DELETE', `/v1/projects/${id}`);
    expect([patched.status, deleted.status]).to.deep.equal([429, 429]);
    expect(Number(patched.headers['retry-after'])).to.be.at.least(1);
    standin.setRateLimit({ rate: 0 });
    expect((await call(standin, 'GET', `/v1/projects/${id}`)).json).to.include({ name: 'Noord', version: 1 });
  });

  it('an injected 5xx on PATCH, PUT or DELETE changes nothing', async () => {
    const { workOrderId } = await workOrderChain(standin, 'err');
    const id = await create(standin, 'projects', project('err:other'));
    await putDocument(standin, workOrderId, 'err:d', 'one');
    standin.setFaults({ errorRate: 1 });
    const statuses = [
      (await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'X' } })).status,
      (await putDocument(standin, workOrderId, 'err:d', 'two')).status,
      (await call(standin, 'DELETE', `/v1/projects/${id}`)).status,
    ];
    expect(statuses.every((s) => s >= 500)).to.equal(true);
    standin.setFaults({ errorRate: 0 });
    expect((await call(standin, 'GET', `/v1/projects/${id}`)).json.version).to.equal(1);
    expect((await call(standin, 'GET', '/v1/documents?externalRef=err:d')).json.items[0].version).to.equal(1);
  });

  it('a connection dropped after a PATCH committed leaves the change made: a retry with the old If-Match gets 412 with the applied change', async () => {
    const id = await create(standin, 'projects', project('drop:p'));
    standin.setFaults({ dropRate: 1, dropPhase: 'after' });
    const dropped = await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'Applied' }, headers: { 'if-match': '"1"' } }).catch(
      (error: Error) => error,
    );
    expect(dropped).to.be.instanceOf(Error);
    standin.setFaults({ dropRate: 0 });
    const retry = await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'Applied' }, headers: { 'if-match': '"1"' } });
    expect(retry.status).to.equal(412);
    expect(retry.json.error.current).to.include({ name: 'Applied', version: 2 });
  });
});
