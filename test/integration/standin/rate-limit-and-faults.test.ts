import { expect } from 'chai';
import { RateLimiter } from '../../../tooling/standin/rate-limiter.ts';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { ACME, admin, call, project, startTestStandin } from './helpers.ts';

describe('FiberConnect stand-in: rate limit and fault injection', () => {
  describe('token bucket', () => {
    it('lets a burst through, then asks to wait whole seconds (≥ 1) until a token refills', () => {
      const limiter = new RateLimiter({ rate: 2, burst: 3 });
      expect([0, 0, 0].map(() => limiter.take('demo', 0))).to.deep.equal([0, 0, 0]);
      expect(limiter.take('demo', 0)).to.equal(1);
      expect(limiter.take('demo', 500)).to.equal(0); // 0.5 s × 2/s = one token
      expect(limiter.take('other', 500)).to.equal(0); // a bucket per customer
      const slow = new RateLimiter({ rate: 0.25, burst: 1 });
      slow.take('demo', 0);
      expect(slow.take('demo', 0)).to.equal(4);
      expect(new RateLimiter({ rate: 0, burst: 1 }).take('demo', 0)).to.equal(0);
    });
  });

  describe('over HTTP', () => {
    let standin: RunningStandin;
    before(async () => {
      standin = await startTestStandin({ faults: { seed: 7 } });
    });
    after(() => standin.close());
    beforeEach(() => {
      standin.reset();
      standin.setRateLimit({ rate: 0, burst: 1 });
      standin.setFaults({ latencyMs: 0, errorRate: 0, dropRate: 0, force429Rate: 0, dropPhase: 'random', failPaths: [], failStatus: 503 });
    });

    it('answers 429 with Retry-After once a customer exceeds its bucket, other customers unaffected', async () => {
      standin.setRateLimit({ rate: 1, burst: 2 });
      await call(standin, 'GET', '/v1/projects', { token: 'wrong' }); // unauthenticated: costs no token
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push(await call(standin, 'GET', '/v1/projects'));
      expect(statuses.map((r) => r.status)).to.deep.equal([200, 200, 429]);
      const limited = statuses[2]!;
      expect(Number(limited.headers['retry-after'])).to.be.at.least(1);
      expect(limited.json.error.code).to.equal('rate_limited');
      expect((await call(standin, 'GET', '/v1/projects', { token: ACME })).status).to.equal(200);
    });

    it('changes the rate limit at runtime with PUT /admin/rate-limit, and never limits /admin', async () => {
      const set = await admin(standin, 'PUT', '/admin/rate-limit', { rate: 1, burst: 1 });
      expect(set.json).to.deep.equal({ rate: 1, burst: 1 });
      expect((await call(standin, 'GET', '/v1/projects')).status).to.equal(200);
      expect((await call(standin, 'GET', '/v1/projects')).status).to.equal(429);
      for (let i = 0; i < 3; i += 1) expect((await admin(standin, 'GET', '/admin/counts')).status).to.equal(200);
      expect((await admin(standin, 'PUT', '/admin/rate-limit', { rate: -1 })).status).to.equal(422);
      await admin(standin, 'PUT', '/admin/rate-limit', { rate: 0 });
      for (let i = 0; i < 5; i += 1) expect((await call(standin, 'GET', '/v1/projects')).status).to.equal(200);
    });

    it('injects 500/502/503 before any state change', async () => {
      standin.setFaults({ errorRate: 1 });
      const statuses = new Set<number>();
      for (let i = 0; i < 12; i += 1) {
        const result = await call(standin, 'POST', '/v1/projects', { body: project(`err:${i}`) });
        statuses.add(result.status);
        expect(result.json.error.code).to.be.oneOf(['internal_error', 'bad_gateway', 'service_unavailable']);
      }
      expect([...statuses].every((s) => [500, 502, 503].includes(s))).to.equal(true);
      expect(statuses.size).to.be.greaterThan(1);
      standin.setFaults({ errorRate: 0 });
      expect((await call(standin, 'GET', '/v1/projects')).json.items).to.have.length(0);
    });

    it('forces 429 with Retry-After at FIBERCONNECT_FORCE_429 share', async () => {
      standin.setFaults({ force429Rate: 1 });
      const result = await call(standin, 'GET', '/v1/projects');
      expect(result.status).to.equal(429);
      expect(result.headers['retry-after']).to.equal('1');
    });

    it('drops the connection before committing: the client gets no answer and nothing is created', async () => {
      standin.setFaults({ dropRate: 1, dropPhase: 'before' });
      let failed = false;
      await call(standin, 'POST', '/v1/projects', { body: project('drop:before'), headers: { 'idempotency-key': 'db' } }).catch(() => (failed = true));
      expect(failed).to.equal(true);
      standin.setFaults({ dropRate: 0 });
      expect((await call(standin, 'GET', '/v1/projects?externalRef=drop:before')).json.items).to.have.length(0);
      const log = (await admin(standin, 'GET', '/admin/requests')).json.items;
      expect(log.map((i: { status: number | null; fault: string | null }) => [i.status, i.fault])).to.deep.equal([
        [null, 'drop_before'],
        [200, null],
      ]);
    });

    it('drops the connection after committing: the resource exists and a retry with the same key replays it', async () => {
      standin.setFaults({ dropRate: 1, dropPhase: 'after' });
      let failed = false;
      await call(standin, 'POST', '/v1/projects', { body: project('drop:after'), headers: { 'idempotency-key': 'da' } }).catch(() => (failed = true));
      expect(failed).to.equal(true);
      standin.setFaults({ dropRate: 0 });
      const [stored] = (await call(standin, 'GET', '/v1/projects?externalRef=drop:after')).json.items;
      expect(stored.externalRef).to.equal('drop:after');
      const retry = await call(standin, 'POST', '/v1/projects', { body: project('drop:after'), headers: { 'idempotency-key': 'da' } });
      expect(retry.status).to.equal(201);
      expect(retry.headers['idempotent-replayed']).to.equal('true');
      expect(retry.json.id).to.equal(stored.id);
      const log = (await admin(standin, 'GET', '/admin/requests')).json.items;
      expect(log[0]).to.include({ method: 'POST', status: 201, fault: 'drop_after', idempotencyKey: 'da' });
    });

    it('answers 503 with Retry-After for every request under a failPaths prefix until PUT /admin/faults empties it, other paths unaffected', async () => {
      const set = await admin(standin, 'PUT', '/admin/faults', { failPaths: ['/v1/projects'] });
      expect(set.json.failPaths).to.deep.equal(['/v1/projects']);
      for (let i = 0; i < 3; i += 1) {
        const failed = await call(standin, 'POST', '/v1/projects', { body: project(`down:${i}`) });
        expect(failed.status).to.equal(503);
        expect(failed.headers['retry-after']).to.equal('1');
      }
      expect((await call(standin, 'GET', '/v1/projects?externalRef=down:0')).status).to.equal(503);
      expect((await call(standin, 'GET', '/v1/contractors')).status).to.equal(200);
      await admin(standin, 'PUT', '/admin/faults', { failPaths: [] });
      expect((await call(standin, 'POST', '/v1/projects', { body: project('down:0') })).status).to.equal(201);
      expect((await call(standin, 'GET', '/v1/projects')).json.items).to.have.length(1);
      expect((await admin(standin, 'PUT', '/admin/faults', { failPaths: ['projects'] })).status).to.equal(422);
    });

    it('answers 403 forbidden under a failPaths prefix when failStatus is 403, without Retry-After', async () => {
      await admin(standin, 'PUT', '/admin/faults', { failPaths: ['/v1/workflows'], failStatus: 403 });
      const refused = await call(standin, 'GET', '/v1/workflows?status=ACTIVE');
      expect(refused.status).to.equal(403);
      expect(refused.json.error.code).to.equal('forbidden');
      expect(refused.headers['retry-after']).to.equal(undefined);
      expect((await call(standin, 'GET', '/v1/projects')).status).to.equal(200);
      await admin(standin, 'PUT', '/admin/faults', { failPaths: [], failStatus: 503 });
      expect((await call(standin, 'GET', '/v1/workflows?status=ACTIVE')).status).to.equal(200);
      expect((await admin(standin, 'PUT', '/admin/faults', { failStatus: 404 })).status).to.equal(422);
    });

    it('adds FIBERCONNECT_LATENCY_MS to every /v1 request', async () => {
      standin.setFaults({ latencyMs: 150 });
      const started = performance.now();
      await call(standin, 'GET', '/v1/projects');
      expect(performance.now() - started).to.be.at.least(145);
    });

    it('changes faults at runtime with PUT /admin/faults, validates them, and never injects into /admin', async () => {
      const set = await admin(standin, 'PUT', '/admin/faults', { errorRate: 1, dropPhase: 'after' });
      expect(set.status).to.equal(200);
      expect(set.json).to.include({ errorRate: 1, dropPhase: 'after' });
      expect((await call(standin, 'GET', '/v1/projects')).status).to.be.oneOf([500, 502, 503]);
      expect((await admin(standin, 'GET', '/admin/state')).status).to.equal(200);
      const invalid = await admin(standin, 'PUT', '/admin/faults', { errorRate: 2, dropPhase: 'sometimes' });
      expect(invalid.status).to.equal(422);
      expect(invalid.json.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['errorRate', 'dropPhase']);
    });

    it('repeats the same fault sequence for the same FIBERCONNECT_FAULT_SEED', async () => {
      const sequence = async (): Promise<number[]> => {
        standin.setFaults({ errorRate: 0.3, force429Rate: 0.3, seed: 42 });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i += 1) statuses.push((await call(standin, 'GET', '/v1/projects')).status);
        return statuses;
      };
      const first = await sequence();
      expect(new Set(first).size).to.be.greaterThan(2);
      expect(await sequence()).to.deep.equal(first);
    });
  });
});
