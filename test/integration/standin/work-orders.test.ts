import { expect } from 'chai';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, call, contractor, create, sleep, startTestStandin, workOrder, workOrderChain } from './helpers.ts';

describe('FiberConnect stand-in: work orders, jobs, workflows and e-mail', () => {
  let standin: RunningStandin;
  before(async () => {
    standin = await startTestStandin({ jobDelayMs: 200 });
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  describe('work orders', () => {
    it('creates a work order with status OPEN and no contractor, whatever the body', async () => {
      const { connectionId } = await workOrderChain(standin, 'wo');
      const created = await call(standin, 'POST', '/v1/work-orders', {
        body: { ...workOrder('wo:2', connectionId), remarks: 'Sleutel bij de buren 🔑' },
      });
      expect(created.status).to.equal(201);
      expect(created.json).to.include({ status: 'OPEN', contractorId: null, completedAt: null, remarks: 'Sleutel bij de buren 🔑' });
      const withStatus = await call(standin, 'POST', '/v1/work-orders', { body: { ...workOrder('wo:3', connectionId), status: 'DONE' } });
      expect(withStatus.status).to.equal(422);
      expect(withStatus.json.error.details[0].field).to.equal('status');
    });

    it('refuses remarks over 2000 characters (field remarks)', async () => {
      const { connectionId } = await workOrderChain(standin, 'rem');
      const result = await call(standin, 'POST', '/v1/work-orders', { body: { ...workOrder('rem:2', connectionId), remarks: 'x'.repeat(2001) } });
      expect(result.status).to.equal(422);
      expect(result.json.error.details[0].field).to.equal('remarks');
    });

    it('PATCH to PLANNED or IN_PROGRESS needs a contractor, in the body or already set', async () => {
      const { workOrderId } = await workOrderChain(standin, 'patch');
      const contractorId = await create(standin, 'contractors', contractor('patch:ctr'));
      const without = await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body: { status: 'PLANNED' } });
      expect(without.status).to.equal(422);
      expect(without.json.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['contractorId']);
      const planned = await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body: { status: 'PLANNED', contractorId } });
      expect(planned.status).to.equal(200);
      expect(planned.json).to.include({ id: workOrderId, status: 'PLANNED', contractorId });
      const started = await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body: { status: 'IN_PROGRESS' } });
      expect(started.status).to.equal(200);
      expect(started.json).to.include({ status: 'IN_PROGRESS', contractorId });
      expect((await call(standin, 'GET', `/v1/work-orders/${workOrderId}`)).json.status).to.equal('IN_PROGRESS');
    });

    it('PATCH to DONE needs completedAt, and repeating a PATCH gives the same result', async () => {
      const { workOrderId } = await workOrderChain(standin, 'done');
      const without = await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body: { status: 'DONE' } });
      expect(without.status).to.equal(422);
      expect(without.json.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['completedAt']);
      const body = { status: 'DONE', completedAt: '2024-05-01T14:30:00+02:00' };
      const first = await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body });
      const second = await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body });
      expect([first.status, second.status]).to.deep.equal([200, 200]);
      expect(second.json).to.include(body);
    });

    it('PATCH refuses a contractor that does not exist (field contractorId) and answers 404 for an unknown work order', async () => {
      const { workOrderId } = await workOrderChain(standin, 'ghost');
      const result = await call(standin, 'PATCH', `/v1/work-orders/${workOrderId}`, { body: { status: 'PLANNED', contractorId: 'ctr_ghost' } });
      expect(result.status).to.equal(422);
      expect(result.json.error.details).to.deep.equal([{ field: 'contractorId', issue: 'no such contractor' }]);
      expect((await call(standin, 'PATCH', '/v1/work-orders/wo_ghost', { body: { status: 'OPEN' } })).status).to.equal(404);
    });
  });

  describe('planboard-preparation jobs', () => {
    it('enqueues a PENDING job per created work order that is DONE after the job delay', async () => {
      const { workOrderId } = await workOrderChain(standin, 'job');
      const pending = await call(standin, 'GET', '/v1/jobs?type=PLANBOARD_PREPARATION&status=PENDING');
      expect(pending.json.total).to.equal(1);
      expect(pending.json.items[0]).to.include({ type: 'PLANBOARD_PREPARATION', status: 'PENDING', workOrderId });
      await sleep(250);
      const after = await call(standin, 'GET', '/v1/jobs?type=PLANBOARD_PREPARATION&status=PENDING');
      expect(after.json).to.include({ total: 0 });
      expect(after.json.items).to.deep.equal([]);
      const done = await call(standin, 'GET', '/v1/jobs?type=PLANBOARD_PREPARATION&status=DONE');
      expect(done.json.total).to.equal(1);
      expect(done.json.items[0].finishedAt).to.be.a('string');
    });
  });

  describe('workflows and notification setting', () => {
    it('starts each customer with two ACTIVE workflows and one INACTIVE, filterable by status', async () => {
      const all = await call(standin, 'GET', '/v1/workflows');
      expect(all.json.items.map((w: { status: string }) => w.status)).to.deep.equal(['ACTIVE', 'ACTIVE', 'INACTIVE']);
      const active = await call(standin, 'GET', '/v1/workflows?status=ACTIVE');
      expect(active.json.items).to.have.length(2);
      for (const workflow of active.json.items) expect(workflow).to.have.all.keys('id', 'name', 'status');
    });

    it('deactivates and activates a workflow with 200, and 404 for an unknown one', async () => {
      const [first] = (await call(standin, 'GET', '/v1/workflows?status=ACTIVE')).json.items;
      const off = await call(standin, 'POST', `/v1/workflows/${first.id}/deactivate`);
      expect(off.status).to.equal(200);
      expect(off.json).to.include({ id: first.id, status: 'INACTIVE' });
      expect((await call(standin, 'GET', '/v1/workflows?status=ACTIVE')).json.items).to.have.length(1);
      expect((await call(standin, 'POST', `/v1/workflows/${first.id}/activate`)).json.status).to.equal('ACTIVE');
      expect((await call(standin, 'POST', '/v1/workflows/wfl_nope/activate')).status).to.equal(404);
    });

    it('reads and sets the e-mail setting, default on, and refuses a body that is not {emailEnabled: bool}', async () => {
      expect((await call(standin, 'GET', '/v1/settings/notifications')).json).to.deep.equal({ emailEnabled: true });
      expect((await call(standin, 'PUT', '/v1/settings/notifications', { body: { emailEnabled: false } })).json).to.deep.equal({ emailEnabled: false });
      expect((await call(standin, 'GET', '/v1/settings/notifications')).json).to.deep.equal({ emailEnabled: false });
      expect((await call(standin, 'PUT', '/v1/settings/notifications', { body: { emailEnabled: 'no' } })).status).to.equal(422);
    });

    it('a created work order triggers every ACTIVE workflow and sends e-mail only while it is enabled', async () => {
      const { workOrderId: mailed } = await workOrderChain(standin, 'mail');
      let state = (await admin(standin, 'GET', '/admin/state?customer=demo')).json.customers.demo;
      expect(state.workflowTriggers).to.have.length(2);
      expect(state.emails.map((e: { workOrderId: string }) => e.workOrderId)).to.deep.equal([mailed, mailed]);

      // What a migration does: every workflow off and e-mail off → no trigger, no e-mail.
      for (const workflow of (await call(standin, 'GET', '/v1/workflows?status=ACTIVE')).json.items) {
        await call(standin, 'POST', `/v1/workflows/${workflow.id}/deactivate`);
      }
      await call(standin, 'PUT', '/v1/settings/notifications', { body: { emailEnabled: false } });
      await workOrderChain(standin, 'silent');
      state = (await admin(standin, 'GET', '/admin/state?customer=demo')).json.customers.demo;
      expect(state.workflowTriggers).to.have.length(2);
      expect(state.emails).to.have.length(2);

      // A workflow that is active while e-mail is off is triggered but sends nothing.
      await call(standin, 'POST', '/v1/workflows/wfl_welcome_mail/activate');
      const { workOrderId: unmailed } = await workOrderChain(standin, 'quiet');
      state = (await admin(standin, 'GET', '/admin/state?customer=demo')).json.customers.demo;
      expect(state.workflowTriggers.at(-1)).to.include({ workflowId: 'wfl_welcome_mail', workOrderId: unmailed, emailSent: false });
      expect(state.emails).to.have.length(2);
    });
  });
});
