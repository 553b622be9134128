import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { call, contractor, create, project, putDocument, sleep, startTestStandin, workOrderChain } from './helpers.ts';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('FiberConnect stand-in: versions and updatedAt', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin({ jobDelayMs: 0 });
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  it('creates every collection at version 1 with an ISO 8601 updatedAt', async () => {
    const { workOrderId } = await workOrderChain(standin, 'v1');
    await create(standin, 'contractors', contractor('v1:k'));
    await putDocument(standin, workOrderId, 'v1:d', 'bytes');
    await create(standin, 'planboard-slots', {
      externalRef: 'v1:s',
      workOrderId,
      team: 'A',
      start: '2024-05-01T08:00:00Z',
      end: '2024-05-01T09:00:00Z',
    });
    for (const collection of ['projects', 'connections', 'contractors', 'work-orders', 'documents', 'planboard-slots']) {
      const [item] = (await call(standin, 'GET', `/v1/${collection}`)).json.items;
      expect(item.version, collection).to.equal(1);
      expect(item.updatedAt, collection).to.match(ISO_8601);
    }
  });

  it('answers GET by id with ETag "<version>", and the lookup and list carry the same version and updatedAt', async () => {
    const id = await create(standin, 'projects', project('v2:p'));
    await sleep(2);
    const patched = await call(standin, 'PATCH', `/v1/projects/${id}`, { body: { name: 'Zuid' } });
    expect(patched.json.version).to.equal(2);
    const read = await call(standin, 'GET', `/v1/projects/${id}`);
    expect(read.headers.etag).to.equal('"2"');
    expect(read.json).to.include({ version: 2, updatedAt: patched.json.updatedAt });
    expect(read.json.updatedAt > read.json.createdAt).to.equal(true);
    expect((await call(standin, 'GET', '/v1/projects?externalRef=v2:p')).json.items[0]).to.deep.equal(read.json);
    expect((await call(standin, 'GET', '/v1/projects?limit=10')).json.items[0]).to.deep.equal(read.json);
  });

  it('replays a create with its stored original answer (version 1) after the record changed', async () => {
    const headers = { 'idempotency-key': 'v3-key' };
    const first = await call(standin, 'POST', '/v1/projects', { body: project('v3:p'), headers });
    await call(standin, 'PATCH', `/v1/projects/${first.json.id}`, { body: { name: 'Changed' } });
    const replay = await call(standin, 'POST', '/v1/projects', { body: project('v3:p'), headers });
    expect(replay.headers['idempotent-replayed']).to.equal('true');
    expect(replay.json).to.deep.equal(first.json);
    expect(replay.json.version).to.equal(1);
  });

  it('keeps versions across a restart on the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-versions-'));
    const dataPath = join(dir, 'fiberconnect.sqlite');
    try {
      const first = await startTestStandin({ dataPath });
      const id = await create(first, 'projects', project('v4:p'), undefined);
      await call(first, 'PATCH', `/v1/projects/${id}`, { body: { name: 'Een' } });
      await call(first, 'PATCH', `/v1/projects/${id}`, { body: { name: 'Twee' } });
      const before = (await call(first, 'GET', `/v1/projects/${id}`)).json;
      await first.close();
      const second = await startTestStandin({ dataPath });
      try {
        const after = await call(second, 'GET', `/v1/projects/${id}`);
        expect(after.json).to.deep.equal(before);
        expect(after.headers.etag).to.equal('"3"');
        expect((await call(second, 'PATCH', `/v1/projects/${id}`, { body: { name: 'Drie' } })).json.version).to.equal(4);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
