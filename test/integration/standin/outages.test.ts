import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, call, startTestStandin } from './helpers.ts';

describe('FiberConnect stand-in: an outage of part of the API (PUT /admin/outages)', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin();
  });
  after(() => standin.close());

  it('answers 503 with Retry-After to every request under a down path, changes nothing, and serves the rest', async () => {
    expect((await admin(standin, 'PUT', '/admin/outages', { paths: ['/v1/workflows'] })).json).to.deep.equal({ paths: ['/v1/workflows'] });
    const list = await call(standin, 'GET', '/v1/workflows?status=ACTIVE');
    expect(list.status).to.equal(503);
    expect(list.headers['retry-after']).to.equal('1');
    expect((await call(standin, 'POST', '/v1/workflows/wfl_welcome_mail/deactivate')).status).to.equal(503);
    expect((await call(standin, 'GET', '/v1/settings/notifications')).status).to.equal(200);
    const log = (await admin(standin, 'GET', '/admin/requests?customer=demo')).json.items as { path: string; fault: string | null }[];
    expect(log.filter((r) => r.path.startsWith('/v1/workflows')).map((r) => r.fault)).to.deep.equal(['outage', 'outage']);

    await admin(standin, 'PUT', '/admin/outages', { paths: [] });
    const workflows = (await call(standin, 'GET', '/v1/workflows?status=ACTIVE')).json.items.map((w: { id: string }) => w.id);
    expect(workflows, 'the refused deactivate changed nothing').to.include('wfl_welcome_mail');
  });

  it('refuses paths that are not /v1 prefixes', async () => {
    expect((await admin(standin, 'PUT', '/admin/outages', { paths: ['/admin'] })).status).to.equal(422);
    expect((await admin(standin, 'PUT', '/admin/outages', {})).status).to.equal(422);
    expect((await admin(standin, 'GET', '/admin/outages')).json).to.deep.equal({ paths: [] });
  });
});
