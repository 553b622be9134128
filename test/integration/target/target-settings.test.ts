import { expect } from 'chai';
import { deactivateWorkflows, restoreWorkflows, saveActiveWorkflows, setEmail } from '../../../src/control/target-settings.ts';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { TargetError } from '../../../src/target/errors.ts';
import { FiberConnectClient } from '../../../src/target/client/fiberconnect-client.ts';
import { admin, DEMO, startTestStandin } from '../standin/helpers.ts';

describe('target settings a run switches off and restores (against the stand-in)', () => {
  let standin: RunningStandin;
  let client: FiberConnectClient;

  beforeEach(async () => {
    standin = await startTestStandin();
    client = new FiberConnectClient({ baseUrl: standin.url, token: DEMO });
  });
  afterEach(async () => {
    await client.close();
    await standin.close();
  });

  it('saves the active workflows, switches them off, and switches exactly those back on', async () => {
    // Someone else's inactive workflow must stay inactive after the run.
    const saved = await saveActiveWorkflows(client);
    expect(saved).to.deep.equal(['wfl_planning_notice', 'wfl_welcome_mail']);
    await deactivateWorkflows(client, saved);
    expect(await client.listActiveWorkflows()).to.deep.equal([]);
    await restoreWorkflows(client, saved);
    const state = (await admin(standin, 'GET', '/admin/state?customer=demo')).json;
    const statuses = Object.fromEntries(state.customers.demo.workflows.map((w: { id: string; status: string }) => [w.id, w.status]));
    expect(statuses).to.deep.equal({ wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' });
  });

  it('switches e-mail off and back on', async () => {
    await setEmail(client, false);
    expect(await client.getNotifications()).to.deep.equal({ emailEnabled: false });
    await setEmail(client, true);
    expect(await client.getNotifications()).to.deep.equal({ emailEnabled: true });
  });

  it('counts pending planboard-preparation jobs', async () => {
    expect(await client.countPendingPlanboardJobs()).to.equal(0);
  });

  it('turns a 401 into a TargetError naming the status and code', async () => {
    const intruder = new FiberConnectClient({ baseUrl: standin.url, token: 'wrong' });
    try {
      await intruder.listActiveWorkflows();
      expect.fail('a wrong token must be refused');
    } catch (error) {
      expect(error).to.be.instanceOf(TargetError);
      expect((error as TargetError).context).to.include({ status: 401, code: 'unauthorized' });
      expect((error as TargetError).transient).to.equal(false);
    } finally {
      await intruder.close();
    }
  });

  it('reports a dropped connection as a transient TargetError without a status', async () => {
    await admin(standin, 'PUT', '/admin/faults', { dropRate: 1, dropPhase: 'before' });
    try {
      await client.send({ method: 'GET', path: '/v1/workflows?status=ACTIVE' });
      expect.fail('a dropped connection must throw');
    } catch (error) {
      expect(error).to.be.instanceOf(TargetError);
      expect((error as TargetError).transient).to.equal(true);
      expect((error as TargetError).context.status).to.equal(undefined);
    }
  });
});
