import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import type { RunReport } from '../../../src/ledger/report.ts';
import { reportKeys } from '../../../src/ledger/report-location.ts';
import { TargetError } from '../../../src/target/errors.ts';
import { lifecycleWorld, PROFILE, runWorkflow, type LifecycleWorld } from '../../helpers/lifecycle-workflow.ts';

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
      await world.lifecycle.configure({ customer, runId: 'run-1' });
      const run = await world.lifecycle.configure({ customer, runId: 'run-2', options: { targetRps: 7 } });
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
      expect(await rejection(world.lifecycle.configure({ customer, runId: 'run-1' }))).to.be.instanceOf(InvalidInputError);
      expect(await world.runs.latestRunId(customer)).to.equal(undefined);
    });

    it("records a rollback as the customer's latest rollback after the migration it follows, which stays the latest migration", async () => {
      await world.lifecycle.configure({ customer, runId: 'run-1' });
      await world.lifecycle.configure({ customer, runId: 'rb-1', kind: 'rollback' });
      expect(await world.runs.latestRunId(customer)).to.equal('run-1');
      expect(world.runs.latestRollback.get(customer)).to.equal('rb-1');
      expect(await world.runs.getRun(customer, 'rb-1')).to.include({ kind: 'rollback', previousRunId: 'run-1', status: 'RUNNING' });
    });

    it('refuses a rollback of a customer that was never migrated and records no run', async () => {
      expect(((await rejection(world.lifecycle.configure({ customer, runId: 'rb-1', kind: 'rollback' }))) as Error).message).to.equal(
        `customer ${customer} has no migration run to roll back`,
      );
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
      await world.lifecycle.configure({ customer, runId: 'run-1' });
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

    it('rebuilds the report of a finished run without touching its end (refresh)', async () => {
      await runWorkflow(world, 'run-1');
      const before = await world.runs.getRun(customer, 'run-1');
      await world.lifecycle.report({ customer, runId: 'run-1', status: 'FAILED', refresh: true });
      expect(await world.runs.getRun(customer, 'run-1')).to.deep.equal(before);
      expect(reportOf(world, 'run-1').status).to.equal('SUCCEEDED');
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
      await world.lifecycle.configure({ customer, runId: 'run-1' });
      const dry = await world.lifecycle.configure({ customer, runId: 'dry-1', options: { dryRun: true } });
      expect(dry.options.dryRun).to.equal(true);
      expect(await world.runs.latestRunId(customer)).to.equal('run-1');
      expect(await world.runs.latestRunId(customer, true)).to.equal('dry-1');
      const record = await world.runs.getRun(customer, 'dry-1');
      expect(record).to.include({ dryRun: true, status: 'RUNNING' });
      expect(record).not.to.have.property('previousRunId');
      await world.lifecycle.configure({ customer, runId: 'run-2' });
      expect(await world.runs.getRun(customer, 'run-2')).to.include({ previousRunId: 'run-1' });
    });

    it('restores nothing and calls nothing on the target, even when a killed run left workflows and e-mail off', async () => {
      await runWorkflow(world, 'run-a', { killAfter: 'migrate' });
      const debt = await world.runs.restoreDebt(customer);
      const calls = world.target.calls.length;
      await world.lifecycle.configure({ customer, runId: 'dry-1', options: { dryRun: true } });
      expect(await world.lifecycle.restoreWorkflows({ customer, targetRps, workflowIds: [], dryRun: true })).to.deep.equal({ workflowsRestored: true });
      expect(await world.lifecycle.restoreEmail({ customer, runId: 'dry-1', targetRps, dryRun: true })).to.deep.equal({ emailRestored: true });
      expect(world.target.calls.length, 'no call to the target').to.equal(calls);
      expect(await world.runs.restoreDebt(customer), 'the debt is left to the next real run').to.deep.equal(debt);
    });

    it("marks its report dryRun: true at the top level; a real run's report has no such mark", async () => {
      await world.lifecycle.configure({ customer, runId: 'dry-1', options: { dryRun: true } });
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
