import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../tooling/standin/config.ts';
import { ConfigError } from '../../../tooling/standin/errors.ts';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, call, contractor, create, project, startTestStandin, workOrderChain } from './helpers.ts';

/** Runs scripts/target-api.ts with some environment until it prints a line or exits. */
async function runScript(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--no-warnings=ExperimentalWarning', 'scripts/target-api.ts'], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('listening on')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('FiberConnect stand-in: admin API, configuration and restart', () => {
  describe('admin API', () => {
    let standin: RunningStandin;
    before(async () => {
      standin = await startTestStandin();
    });
    after(() => standin.close());
    beforeEach(() => standin.reset());

    it('refuses /admin without the admin token (401), and customer tokens are not admin tokens', async () => {
      expect((await call(standin, 'GET', '/admin/counts', { token: null })).status).to.equal(401);
      expect((await call(standin, 'GET', '/admin/counts')).status).to.equal(401);
      expect((await admin(standin, 'GET', '/admin/counts')).status).to.equal(200);
    });

    it('logs every /v1 request with timestamp, customer, method, path, status, key and replayed flag; ?since= filters', async () => {
      await call(standin, 'GET', '/v1/projects?limit=5');
      const mark = Date.now() + 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await call(standin, 'POST', '/v1/projects', { body: project('log:1'), headers: { 'idempotency-key': 'log-key' } });
      await call(standin, 'GET', '/v1/projects', { token: 'wrong' });
      const all = (await admin(standin, 'GET', '/admin/requests')).json.items;
      expect(all).to.have.length(3);
      expect(all[0]).to.include({ customer: 'demo', method: 'GET', path: '/v1/projects', status: 200, idempotencyKey: null, replayed: false });
      expect(all[0].ts).to.be.a('number');
      expect(all[2]).to.include({ customer: null, status: 401 });
      const since = (await admin(standin, 'GET', `/admin/requests?since=${mark}`)).json.items;
      expect(since.map((i: { method: string }) => i.method)).to.deep.equal(['POST', 'GET']);
      expect(since[0]).to.include({ idempotencyKey: 'log-key', status: 201 });
    });

    it('counts resources per customer and collection', async () => {
      await workOrderChain(standin, 'cnt');
      await create(standin, 'contractors', contractor('cnt:k'), 'acme-token');
      const counts = (await admin(standin, 'GET', '/admin/counts')).json;
      expect(counts.demo).to.deep.equal({ projects: 1, connections: 1, contractors: 0, 'work-orders': 1, documents: 0, 'planboard-slots': 0 });
      expect(counts.acme.contractors).to.equal(1);
    });

    it('dumps the whole state: resources, jobs, workflows, notification setting, triggers and e-mails', async () => {
      const { workOrderId } = await workOrderChain(standin, 'dump');
      const state = (await admin(standin, 'GET', '/admin/state')).json;
      expect(state.customers).to.have.all.keys('demo', 'acme');
      const demo = state.customers.demo;
      expect(demo.resources['work-orders'].map((w: { id: string }) => w.id)).to.deep.equal([workOrderId]);
      expect(demo.jobs).to.have.length(1);
      expect(demo.workflows).to.have.length(3);
      expect(demo.notifications).to.deep.equal({ emailEnabled: true });
      expect(demo.workflowTriggers).to.have.length(2);
      expect(demo.emails).to.have.length(2);
      expect(state).to.have.property('faults');
      expect(state).to.have.property('rateLimit');
    });

    it('wipes everything with POST /admin/reset and restores the initial workflows and e-mail setting', async () => {
      await workOrderChain(standin, 'wipe');
      await call(standin, 'POST', '/v1/workflows/wfl_welcome_mail/deactivate');
      await call(standin, 'PUT', '/v1/settings/notifications', { body: { emailEnabled: false } });
      expect((await admin(standin, 'POST', '/admin/reset')).status).to.equal(204);
      const counts = (await admin(standin, 'GET', '/admin/counts')).json;
      expect(Object.values(counts.demo).every((n) => n === 0)).to.equal(true);
      expect((await call(standin, 'GET', '/v1/workflows?status=ACTIVE')).json.items).to.have.length(2);
      expect((await call(standin, 'GET', '/v1/settings/notifications')).json.emailEnabled).to.equal(true);
      expect((await admin(standin, 'GET', '/admin/requests')).json.items).to.have.length(2);
    });
  });

  describe('configuration', () => {
    it('reads every knob from the environment', () => {
      const config = loadConfig({
        PORT: '0',
        FIBERCONNECT_HOST: '127.0.0.2',
        FIBERCONNECT_DATA: ':memory:',
        FIBERCONNECT_TOKENS: 'demo:t1, acme:t2',
        FIBERCONNECT_ADMIN_TOKEN: 'adm',
        FIBERCONNECT_RATE: '5',
        FIBERCONNECT_BURST: '10',
        FIBERCONNECT_JOB_DELAY_MS: '50',
        FIBERCONNECT_LATENCY_MS: '20',
        FIBERCONNECT_ERROR_RATE: '0.1',
        FIBERCONNECT_DROP_RATE: '0.2',
        FIBERCONNECT_DROP_PHASE: 'after',
        FIBERCONNECT_FORCE_429: '0.3',
        FIBERCONNECT_FAULT_SEED: '9',
        FIBERCONNECT_FAIL_PATHS: '/v1/contractors, /v1/planboard-slots',
        FIBERCONNECT_FAIL_STATUS: '403',
      });
      expect(config).to.deep.equal({
        port: 0,
        host: '127.0.0.2',
        dataPath: ':memory:',
        tokens: { demo: 't1', acme: 't2' },
        adminToken: 'adm',
        rateLimit: { rate: 5, burst: 10 },
        jobDelayMs: 50,
        faults: {
          latencyMs: 20,
          errorRate: 0.1,
          dropRate: 0.2,
          force429Rate: 0.3,
          dropPhase: 'after',
          seed: 9,
          failPaths: ['/v1/contractors', '/v1/planboard-slots'],
          failStatus: 403,
        },
      });
      expect(loadConfig({}).tokens).to.deep.equal({ demo: 'demo-token' });
    });

    it("listens on a loopback address only: a shell's HOST is not its setting, and FIBERCONNECT_HOST off loopback is refused in one line", () => {
      expect(loadConfig({ HOST: '0.0.0.0' }).host).to.equal('127.0.0.1');
      expect(loadConfig({ FIBERCONNECT_HOST: '::1' }).host).to.equal('::1');
      for (const host of ['0.0.0.0', '::', '192.168.1.10', 'fiberconnect.example']) {
        expect(() => loadConfig({ FIBERCONNECT_HOST: host }), host).to.throw(ConfigError, 'FIBERCONNECT_HOST must be a loopback address');
      }
    });

    it('rejects invalid configuration with a one-line error naming the variable', () => {
      for (const [env, name] of [
        [{ PORT: 'abc' }, 'PORT'],
        [{ PORT: '70000' }, 'PORT'],
        [{ FIBERCONNECT_DROP_RATE: '1.5' }, 'FIBERCONNECT_DROP_RATE'],
        [{ FIBERCONNECT_DROP_PHASE: 'later' }, 'FIBERCONNECT_DROP_PHASE'],
        [{ FIBERCONNECT_TOKENS: 'demo' }, 'FIBERCONNECT_TOKENS'],
        [{ FIBERCONNECT_BURST: '0' }, 'FIBERCONNECT_BURST'],
      ] as const) {
        expect(() => loadConfig(env), name).to.throw(ConfigError, name);
      }
    });

    it('the entry point exits non-zero with that one line on invalid configuration, and stops cleanly on SIGTERM', async () => {
      const bad = await runScript({ FIBERCONNECT_ERROR_RATE: 'lots' });
      expect(bad.code).to.not.equal(0);
      expect(
        bad.stderr
          .trim()
          .split('\n')
          .filter((l) => l.includes('FIBERCONNECT_ERROR_RATE')),
      ).to.have.length(1);
      const good = await runScript({ PORT: '0', FIBERCONNECT_DATA: ':memory:' });
      expect(good.stdout).to.match(/listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(good.code).to.equal(0);
    });
  });

  describe('persistence', () => {
    it('keeps resources, idempotency keys, workflows and settings across a restart on the same file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'standin-restart-'));
      const dataPath = join(dir, 'nested', 'fiberconnect.sqlite');
      try {
        const first = await startTestStandin({ dataPath });
        const created = await call(first, 'POST', '/v1/projects', { body: project('keep:1'), headers: { 'idempotency-key': 'keep-key' } });
        await call(first, 'POST', '/v1/workflows/wfl_welcome_mail/deactivate');
        await call(first, 'PUT', '/v1/settings/notifications', { body: { emailEnabled: false } });
        await first.close();

        const second = await startTestStandin({ dataPath });
        try {
          expect((await call(second, 'GET', `/v1/projects/${created.json.id}`)).json).to.deep.equal(created.json);
          const replay = await call(second, 'POST', '/v1/projects', { body: project('keep:1'), headers: { 'idempotency-key': 'keep-key' } });
          expect(replay.headers['idempotent-replayed']).to.equal('true');
          expect((await call(second, 'GET', '/v1/workflows?status=ACTIVE')).json.items).to.have.length(1);
          expect((await call(second, 'GET', '/v1/settings/notifications')).json.emailEnabled).to.equal(false);
          expect((await admin(second, 'GET', '/admin/requests')).json.items.length).to.be.at.least(3);
        } finally {
          await second.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
