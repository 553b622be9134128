import { expect } from 'chai';
import { RunLockedError } from '../../../src/control/errors.ts';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import type { RunReport } from '../../../src/ledger/report.ts';
import { reportKeys } from '../../../src/ledger/report-location.ts';
import { TargetError } from '../../../src/target/errors.ts';
import { executionOf, lifecycleWorld, PROFILE, runWorkflow, type LifecycleWorld } from '../../helpers/lifecycle-workflow.ts';

const ORIGINAL = { wfl_welcome_mail: 'ACTIVE', wfl_planning_notice: 'ACTIVE', wfl_survey_reminder: 'INACTIVE' };
const ALL_OFF = { wfl_welcome_mail: 'INACTIVE', wfl_planning_notice: 'INACTIVE', wfl_survey_reminder: 'INACTIVE' };
const customer = 'acme';
const targetRps = 20;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function reportOf(world: LifecycleWorld, runId: string): RunReport {
  return JSON.parse(world.reports.get(reportKeys(customer, runId).json)!) as RunReport;
}

describe('the run lifecycle (configure, switch off, restore, report) on in-memory fakes', () => {
  let world: LifecycleWorld;
  beforeEach(() => {
    world = lifecycleWorld();
  });

  describe('configure', () => {
    it('fills the options from the profile, lists the active sub-projects and records the run as the latest, after the previous one', async () => {
      await world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') });
      const run = await world.lifecycle.configure({ customer, runId: 'run-2', executionArn: executionOf('run-2'), options: { targetRps: 7 } });
      expect(run.options).to.include({ targetRps: 7, sourceRps: PROFILE.rates.sourceRps });
      expect(run.subprojects).to.deep.equal([
        { database: 'fp_acme_north', label: 'North' },
        { database: 'fp_acme_south', label: null },
      ]);
      expect(await world.runs.latestRunId(customer)).to.equal('run-2');
      expect(await world.runs.getRun(customer, 'run-2')).to.include({ status: 'RUNNING', previousRunId: 'run-1', startedAt: '2026-12-01T08:00:02.000Z' });
    });

    it('refuses a customer without an active sub-project and records no run', async () => {
      world.subprojects.length = 0;
      expect(await rejection(world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') }))).to.be.instanceOf(InvalidInputError);
      expect(await world.runs.latestRunId(customer)).to.equal(undefined);
    });

    it('refuses a run whose registry names a database that does not exist, before anything is recorded or switched off', async () => {
      world.missingDatabases.add('fp_acme_south');
      const error = (await rejection(world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') }))) as Error;
      expect(error).to.be.instanceOf(InvalidInputError);
      expect(error.message).to.match(/registry row 2: database fp_acme_south does not exist/);
      expect(world.runs.runs.size).to.equal(0);
      expect(world.target.calls).to.deep.equal([]);
    });

    it("records a rollback as the customer's latest rollback after the migration it follows, which stays the latest migration", async () => {
      await world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') });
      await world.lifecycle.configure({ customer, runId: 'rb-1', executionArn: executionOf('rb-1'), kind: 'rollback' });
      expect(await world.runs.latestRunId(customer)).to.equal('run-1');
      expect(world.runs.latestRollback.get(customer)).to.equal('rb-1');
      expect(await world.runs.getRun(customer, 'rb-1')).to.include({ kind: 'rollback', previousRunId: 'run-1', status: 'RUNNING' });
    });

    it('refuses a rollback of a customer that was never migrated and records no run', async () => {
      expect(
        ((await rejection(world.lifecycle.configure({ customer, runId: 'rb-1', executionArn: executionOf('rb-1'), kind: 'rollback' }))) as Error).message,
      ).to.equal(`customer ${customer} has no migration run to roll back`);
      expect(world.runs.runs.size).to.equal(0);
    });
  });

  describe('one run', () => {
    it('records what it will switch off before it switches anything off', async () => {
      const { workflowIds } = await world.lifecycle.saveWorkflows({ customer, runId: 'run-1', targetRps });
      expect(workflowIds).to.deep.equal(['wfl_planning_notice', 'wfl_welcome_mail']);
      expect(world.target.statuses, 'nothing switched off yet').to.deep.equal(ORIGINAL);
      expect(await world.runs.restoreDebt(customer)).to.deep.equal({ workflowIds });
      expect(await world.lifecycle.switchEmailOff({ customer, runId: 'run-1', targetRps })).to.deep.equal({ emailEnabled: true });
      expect(world.target.emailEnabled).to.equal(false);
      expect(await world.runs.restoreDebt(customer)).to.deep.equal({ workflowIds, emailEnabled: true });
      expect(await world.runs.getRun(customer, 'run-1'))
        .to.include({ savedEmailEnabled: true })
        .and.to.have.deep.property('savedWorkflowIds', workflowIds);
    });

    it('switches off only what was active and restores exactly that, leaving nothing to restore and reporting it restored', async () => {
      const outcome = await runWorkflow(world, 'run-1');
      expect(outcome).to.deep.equal({ status: 'SUCCEEDED', restored: { workflowsRestored: true, emailRestored: true } });
      expect(world.target.calls).to.include.members(['POST /v1/workflows/wfl_welcome_mail/deactivate', 'POST /v1/workflows/wfl_planning_notice/deactivate']);
      expect(
        world.target.calls.filter((call) => call.includes('wfl_survey_reminder')),
        'a workflow that was off is never touched',
      ).to.deep.equal([]);
      expect(world.target.statuses).to.deep.equal(ORIGINAL);
      expect(world.target.emailEnabled).to.equal(true);
      expect(await world.runs.restoreDebt(customer)).to.deep.equal({ workflowIds: [] });
      expect(reportOf(world, 'run-1')).to.deep.include({ status: 'SUCCEEDED', target: { workflowsRestored: true, emailRestored: true } });
    });

    it('puts back an e-mail setting that was off before the run as off', async () => {
      world.target.emailEnabled = false;
      await runWorkflow(world, 'run-1');
      expect(world.target.emailEnabled).to.equal(false);
      expect(await world.runs.restoreDebt(customer)).to.deep.equal({ workflowIds: [] });
    });

    it('keeps what is to restore when the restore calls fail, and reports it not restored', async () => {
      await world.lifecycle.saveWorkflows({ customer, runId: 'run-1', targetRps });
      await world.lifecycle.switchEmailOff({ customer, runId: 'run-1', targetRps });
      world.target.failing.add('setWorkflowActive').add('putNotifications');
      expect(
        await rejection(world.lifecycle.restoreWorkflows({ customer, targetRps, workflowIds: ['wfl_planning_notice', 'wfl_welcome_mail'] })),
      ).to.be.instanceOf(TargetError);
      expect(await rejection(world.lifecycle.restoreEmail({ customer, runId: 'run-1', targetRps }))).to.be.instanceOf(TargetError);
      expect(await world.runs.restoreDebt(customer)).to.deep.equal({ workflowIds: ['wfl_planning_notice', 'wfl_welcome_mail'], emailEnabled: true });
    });

    it('reports a restore as not done while something is still to restore, whatever the restore step answered', async () => {
      await world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') });
      await world.lifecycle.saveWorkflows({ customer, runId: 'run-1', targetRps });
      await world.lifecycle.switchEmailOff({ customer, runId: 'run-1', targetRps });
      await world.lifecycle.report({
        customer,
        runId: 'run-1',
        status: 'SUCCEEDED',
        target: { workflows: { workflowsRestored: true }, email: { emailRestored: true } },
      });
      expect(reportOf(world, 'run-1').target).to.deep.equal({ workflowsRestored: false, emailRestored: false });
      expect((await world.runs.getRun(customer, 'run-1'))?.target).to.deep.equal({ workflowsRestored: false, emailRestored: false });
    });

    it("a redrive's report closes the redrive, gives its locks back, and rebuilds the report of the run it redrove without touching that run's end", async () => {
      await runWorkflow(world, 'run-1');
      const before = await world.runs.getRun(customer, 'run-1');
      const redrive = await world.lifecycle.configure({ customer, runId: 'rd-1', executionArn: executionOf('rd-1'), kind: 'redrive' });
      expect(redrive.redriveOf).to.equal('run-1');
      expect(await world.runs.latestRunId(customer), 'a redrive is no latest run').to.equal('run-1');
      await world.lifecycle.report({
        customer,
        runId: 'rd-1',
        status: 'FAILED',
        redriveOf: 'run-1',
        target: { workflows: { workflowsRestored: true }, email: { emailRestored: true } },
      });
      expect(await world.runs.getRun(customer, 'run-1')).to.deep.equal(before);
      expect(await world.runs.getRun(customer, 'rd-1')).to.include({ status: 'FAILED', kind: 'redrive', redriveOf: 'run-1' });
      expect(reportOf(world, 'run-1').status).to.equal('SUCCEEDED');
      expect([...world.locks.held.keys()]).to.deep.equal([]);
    });

    it('refuses a redrive of a customer without a run, and one asked to be a dry run', async () => {
      expect(
        ((await rejection(world.lifecycle.configure({ customer, runId: 'rd-1', executionArn: executionOf('rd-1'), kind: 'redrive' }))) as Error).message,
      ).to.equal(`customer ${customer} has no run whose dead letters to redrive`);
      await runWorkflow(world, 'run-1');
      expect(
        (
          (await rejection(
            world.lifecycle.configure({ customer, runId: 'rd-2', executionArn: executionOf('rd-2'), kind: 'redrive', options: { dryRun: true } }),
          )) as Error
        ).message,
      ).to.match(/^a redrive has no dry run/);
    });
  });

  describe('one run per customer, and per FiberConnect tenant', () => {
    it("refuses a second run of the customer while the first one's execution runs: one line naming it, nothing recorded or switched off, the first stays the latest", async () => {
      await world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') });
      world.locks.running.add(executionOf('run-1'));
      const calls = world.target.calls.length;
      const error = (await rejection(world.lifecycle.configure({ customer, runId: 'run-2', executionArn: executionOf('run-2') }))) as Error;
      expect(error).to.be.instanceOf(RunLockedError);
      expect(error.message).to.equal(
        'customer acme: run run-1 (migration of acme, started 2026-12-01T08:00:01.000Z) is still going; a second run is refused, nothing was changed: wait for it to end, or stop it with make stop CUSTOMER=acme',
      );
      expect(await world.runs.latestRunId(customer)).to.equal('run-1');
      expect(await world.runs.getRun(customer, 'run-2')).to.equal(undefined);
      expect(world.target.calls).to.have.length(calls);
    });

    it('refuses a rollback while a migration of the customer runs, and a migration while a rollback runs', async () => {
      await world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') });
      world.locks.running.add(executionOf('run-1'));
      expect(await rejection(world.lifecycle.configure({ customer, runId: 'rb-1', executionArn: executionOf('rb-1'), kind: 'rollback' }))).to.be.instanceOf(
        RunLockedError,
      );
      world.locks.running.delete(executionOf('run-1'));
      await world.lifecycle.configure({ customer, runId: 'rb-2', executionArn: executionOf('rb-2'), kind: 'rollback' });
      world.locks.running.add(executionOf('rb-2'));
      expect(((await rejection(world.lifecycle.configure({ customer, runId: 'run-3', executionArn: executionOf('run-3') }))) as Error).message).to.match(
        /^customer acme: run rb-2 \(rollback of acme, /,
      );
    });

    it("holds a plan's run as the plan's: a person's start is refused naming the plan, and the plan's start while a person's run goes on is refused too", async () => {
      await world.lifecycle.configure({ customer, runId: 'plan-run-1', executionArn: executionOf('plan-run-1'), plan: 'lumen-december' });
      world.locks.running.add(executionOf('plan-run-1'));
      expect(((await rejection(world.lifecycle.configure({ customer, runId: 'run-2', executionArn: executionOf('run-2') }))) as Error).message).to.match(
        /^customer acme: run plan-run-1 \(migration of acme, started by plan lumen-december, started /,
      );
      world.locks.running.delete(executionOf('plan-run-1'));
      await world.lifecycle.configure({ customer, runId: 'run-3', executionArn: executionOf('run-3') });
      world.locks.running.add(executionOf('run-3'));
      expect(
        await rejection(world.lifecycle.configure({ customer, runId: 'plan-run-2', executionArn: executionOf('plan-run-2'), plan: 'lumen-december' })),
      ).to.be.instanceOf(RunLockedError);
    });

    it('takes over the lock of a run whose execution no longer runs (killed): a crash never blocks the customer', async () => {
      expect((await runWorkflow(world, 'run-1', { killAfter: 'switchEmailOff' })).status).to.equal('KILLED');
      expect(world.locks.held.get('customer acme')?.runId, 'the killed run still holds it').to.equal('run-1');
      expect(await runWorkflow(world, 'run-2')).to.deep.include({ status: 'SUCCEEDED' });
    });

    it('gives both locks back when the run is closed', async () => {
      await runWorkflow(world, 'run-1');
      expect([...world.locks.held.keys()]).to.deep.equal([]);
    });

    it('switches a shared FiberConnect tenant for one customer at a time, and a run of either pays what a killed run of the other left off', async () => {
      world.tenants.set('acme', 'acme-group').set('acme-south', 'acme-group');
      await world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') });
      world.locks.running.add(executionOf('run-1'));
      const error = (await rejection(world.lifecycle.configure({ customer: 'acme-south', runId: 'south-1', executionArn: executionOf('south-1') }))) as Error;
      expect(error.message).to.match(
        /^customer acme-south shares FiberConnect tenant acme-group with customer acme, and run run-1 \(migration of acme, .*make stop CUSTOMER=acme$/,
      );
      expect(world.locks.held.has('customer acme-south'), 'the refused run keeps no lock').to.equal(false);
      world.locks.running.delete(executionOf('run-1'));

      await runWorkflow(world, 'run-2', { killAfter: 'switchEmailOff' });
      expect(world.target.emailEnabled).to.equal(false);
      expect(await runWorkflow(world, 'south-2', { customer: 'acme-south' })).to.deep.equal({
        status: 'SUCCEEDED',
        restored: { workflowsRestored: true, emailRestored: true },
      });
      expect(world.target.statuses).to.deep.equal(ORIGINAL);
      expect(world.target.emailEnabled, "the e-mail setting from before acme's run, not the off acme-south found").to.equal(true);
    });

    it('lets a dry run hold only its customer: another customer of the tenant may run beside it', async () => {
      world.tenants.set('acme', 'acme-group').set('acme-south', 'acme-group');
      await world.lifecycle.configure({ customer, runId: 'dry-1', executionArn: executionOf('dry-1'), options: { dryRun: true } });
      world.locks.running.add(executionOf('dry-1'));
      expect(await runWorkflow(world, 'south-1', { customer: 'acme-south' })).to.deep.include({ status: 'SUCCEEDED' });
      expect(await rejection(world.lifecycle.configure({ customer, runId: 'run-2', executionArn: executionOf('run-2') }))).to.be.instanceOf(RunLockedError);
    });
  });

  describe('a chain of killed and failed runs', () => {
    it('A killed with everything off, B failing to read and to switch workflows, C normal: ends with the original settings and truthful reports', async () => {
      // A: killed after switching workflows and e-mail off.
      expect((await runWorkflow(world, 'run-a', { killAfter: 'migrate' })).status).to.equal('KILLED');
      expect(world.target.statuses).to.deep.equal(ALL_OFF);
      expect(world.target.emailEnabled).to.equal(false);

      // B: the workflow calls answer 503; what A left off must survive B.
      world.target.failing.add('listActiveWorkflows').add('setWorkflowActive');
      const b = await runWorkflow(world, 'run-b');
      expect(b).to.deep.equal({ status: 'FAILED', restored: { workflowsRestored: false, emailRestored: true } });
      expect(await world.runs.restoreDebt(customer), 'B replaced nothing').to.deep.equal({ workflowIds: ['wfl_planning_notice', 'wfl_welcome_mail'] });
      expect(world.target.emailEnabled, 'B put back the e-mail setting A left off').to.equal(true);
      expect(reportOf(world, 'run-b')).to.deep.include({ status: 'FAILED', target: { workflowsRestored: false, emailRestored: true } });

      // C: a normal run pays what A and B left.
      world.target.failing.clear();
      const c = await runWorkflow(world, 'run-c');
      expect(c).to.deep.equal({ status: 'SUCCEEDED', restored: { workflowsRestored: true, emailRestored: true } });
      expect(world.target.statuses).to.deep.equal(ORIGINAL);
      expect(world.target.emailEnabled).to.equal(true);
      expect(await world.runs.restoreDebt(customer)).to.deep.equal({ workflowIds: [] });
      expect(reportOf(world, 'run-c').target).to.deep.equal({ workflowsRestored: true, emailRestored: true });
    });

    it('a run that cannot read the target at all reports nothing restored and leaves the whole debt to the next run', async () => {
      await runWorkflow(world, 'run-a', { killAfter: 'switchEmailOff' });
      world.target.failing.add('listActiveWorkflows').add('setWorkflowActive').add('getNotifications').add('putNotifications');
      expect(await runWorkflow(world, 'run-b')).to.deep.equal({ status: 'FAILED', restored: { workflowsRestored: false, emailRestored: false } });
      expect(reportOf(world, 'run-b').target).to.deep.equal({ workflowsRestored: false, emailRestored: false });
      world.target.failing.clear();
      await runWorkflow(world, 'run-c');
      expect(world.target.statuses).to.deep.equal(ORIGINAL);
      expect(world.target.emailEnabled).to.equal(true);
    });

    it('two killed runs in a row: the third restores the settings from before the first, not the "off" the second found', async () => {
      await runWorkflow(world, 'run-a', { killAfter: 'migrate' });
      await runWorkflow(world, 'run-b', { killAfter: 'migrate' });
      expect((await world.runs.getRun(customer, 'run-b'))?.savedEmailEnabled).to.equal(true);
      await runWorkflow(world, 'run-c');
      expect(world.target.statuses).to.deep.equal(ORIGINAL);
      expect(world.target.emailEnabled).to.equal(true);
    });

    it('a run killed after restoring the workflows leaves the e-mail setting to the next run', async () => {
      await runWorkflow(world, 'run-a', { killAfter: 'restoreWorkflows' });
      expect(world.target.statuses).to.deep.equal(ORIGINAL);
      expect(await world.runs.restoreDebt(customer)).to.deep.equal({ workflowIds: [], emailEnabled: true });
      await runWorkflow(world, 'run-b');
      expect(world.target.emailEnabled).to.equal(true);
      expect(reportOf(world, 'run-b').target).to.deep.equal({ workflowsRestored: true, emailRestored: true });
    });

    it('merges a workflow switched on between two runs into what is restored', async () => {
      await runWorkflow(world, 'run-a', { killAfter: 'migrate' });
      world.target.workflows.set('wfl_survey_reminder', 'ACTIVE');
      const { workflowIds } = await world.lifecycle.saveWorkflows({ customer, runId: 'run-b', targetRps });
      expect(workflowIds).to.deep.equal(['wfl_planning_notice', 'wfl_survey_reminder', 'wfl_welcome_mail']);
    });

    it('a planboard-only run, which switches nothing off, still restores what a killed run left off', async () => {
      await runWorkflow(world, 'run-a', { killAfter: 'migrate' });
      expect(await runWorkflow(world, 'run-b', { onlyPlanboard: true })).to.deep.equal({
        status: 'SUCCEEDED',
        restored: { workflowsRestored: true, emailRestored: true },
      });
      expect(world.target.statuses).to.deep.equal(ORIGINAL);
      expect(world.target.emailEnabled).to.equal(true);
    });
  });
  describe('a dry run', () => {
    it('is a run of its own that never becomes the latest: a later real run follows the real run before it', async () => {
      await world.lifecycle.configure({ customer, runId: 'run-1', executionArn: executionOf('run-1') });
      const dry = await world.lifecycle.configure({ customer, runId: 'dry-1', executionArn: executionOf('dry-1'), options: { dryRun: true } });
      expect(dry.options.dryRun).to.equal(true);
      expect(await world.runs.latestRunId(customer)).to.equal('run-1');
      expect(await world.runs.latestRunId(customer, true)).to.equal('dry-1');
      const record = await world.runs.getRun(customer, 'dry-1');
      expect(record).to.include({ dryRun: true, status: 'RUNNING' });
      expect(record).not.to.have.property('previousRunId');
      await world.lifecycle.configure({ customer, runId: 'run-2', executionArn: executionOf('run-2') });
      expect(await world.runs.getRun(customer, 'run-2')).to.include({ previousRunId: 'run-1' });
    });

    it('restores nothing and calls nothing on the target, even when a killed run left workflows and e-mail off', async () => {
      await runWorkflow(world, 'run-a', { killAfter: 'migrate' });
      const debt = await world.runs.restoreDebt(customer);
      const calls = world.target.calls.length;
      await world.lifecycle.configure({ customer, runId: 'dry-1', executionArn: executionOf('dry-1'), options: { dryRun: true } });
      expect(await world.lifecycle.restoreWorkflows({ customer, targetRps, workflowIds: [], dryRun: true })).to.deep.equal({ workflowsRestored: true });
      expect(await world.lifecycle.restoreEmail({ customer, runId: 'dry-1', targetRps, dryRun: true })).to.deep.equal({ emailRestored: true });
      expect(world.target.calls.length, 'no call to the target').to.equal(calls);
      expect(await world.runs.restoreDebt(customer), 'the debt is left to the next real run').to.deep.equal(debt);
    });

    it("marks its report dryRun: true at the top level; a real run's report has no such mark", async () => {
      await world.lifecycle.configure({ customer, runId: 'dry-1', executionArn: executionOf('dry-1'), options: { dryRun: true } });
      await world.lifecycle.report({
        customer,
        runId: 'dry-1',
        status: 'SUCCEEDED',
        target: { workflows: { workflowsRestored: true }, email: { emailRestored: true } },
      });
      await runWorkflow(world, 'run-1');
      expect(reportOf(world, 'dry-1')).to.include({ dryRun: true });
      expect(reportOf(world, 'run-1')).not.to.have.property('dryRun');
      expect(world.reports.get(reportKeys(customer, 'dry-1').html)).to.contain('DRY RUN');
    });
  });
});
