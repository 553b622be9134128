import { expect } from 'chai';
import { StateMachine } from 'aws-local-stepfunctions';
import { effectiveSettings } from '../../../src/pipeline/run-settings.ts';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';
import { renderStateMachine } from '../../../tooling/statemachines/render.ts';
import { localTemplateVariables } from '../../helpers/statemachines.ts';

/** Runs the per-customer flow with every Task stubbed; returns the Tasks in the order they ran, with their inputs. */
async function runMigration(options: Record<string, unknown>): Promise<{ name: string; input: Record<string, unknown> }[]> {
  const settings = effectiveSettings(new FileProfiles('profiles').resolve('nobody-has-this-profile'), options);
  const ran: { name: string; input: Record<string, unknown> }[] = [];
  const done = { Status: 'SUCCEEDED', Output: {} };
  const answers: Record<string, unknown> = {
    Configure: { customer: 'acme', runId: 'run-1', options: settings, subprojects: [] },
    SaveWorkflows: { workflowIds: ['wfl_a'] },
    DeactivateWorkflows: { deactivated: 1 },
    SwitchEmailOff: { emailEnabled: true },
    MigrateFlow: done,
    UpdateMigratedAssignmentsFlow: done,
    MigrateDocumentsFlow: done,
    CheckPlanboardJobs: { looks: 1, waitSeconds: 1, finished: true, timedOut: false },
    MigratePlanboardFlow: done,
    RestoreWorkflows: { workflowsRestored: true },
    RestoreEmail: { emailRestored: true },
    ReportSucceededRun: done,
    ReportFailedRun: done,
  };
  const handlers = Object.fromEntries(
    Object.entries(answers).map(([name, answer]) => [
      name,
      (input: Record<string, unknown>) => {
        ran.push({ name, input });
        return answer;
      },
    ]),
  );
  const definition = renderStateMachine('migration', localTemplateVariables());
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  await machine.run({ customer: 'acme', runId: 'run-1', options } as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: { WaitForPlanboardJobs: 0 } },
  }).result;
  return ran;
}

const TARGET_SWITCHES = ['SaveWorkflows', 'DeactivateWorkflows', 'SwitchEmailOff'];

describe('the per-customer flow in a dry run (statemachines/migration.json, Tasks stubbed)', () => {
  it('skips saving and switching off workflows and e-mail and the planboard jobs wait, runs every migration step, and tells the restore steps it is a dry run', async () => {
    const ran = await runMigration({ dryRun: true });
    expect(ran.map((task) => task.name)).to.deep.equal([
      'Configure',
      'MigrateFlow',
      'UpdateMigratedAssignmentsFlow',
      'MigrateDocumentsFlow',
      'MigratePlanboardFlow',
      'RestoreWorkflows',
      'RestoreEmail',
      'ReportSucceededRun',
    ]);
    for (const name of ['RestoreWorkflows', 'RestoreEmail']) expect(ran.find((task) => task.name === name)!.input, name).to.include({ dryRun: true });
  });

  it('a dry planboard-only run goes straight to the planboard, without the jobs wait', async () => {
    const ran = await runMigration({ dryRun: true, migrateOnlyPlanboard: true });
    expect(ran.map((task) => task.name)).to.deep.equal(['Configure', 'MigratePlanboardFlow', 'RestoreWorkflows', 'RestoreEmail', 'ReportSucceededRun']);
  });

  it('a real run still saves and switches off, waits for the planboard jobs, and restores for real', async () => {
    const ran = await runMigration({});
    const names = ran.map((task) => task.name);
    expect(names).to.include.members([...TARGET_SWITCHES, 'CheckPlanboardJobs']);
    for (const name of ['RestoreWorkflows', 'RestoreEmail']) expect(ran.find((task) => task.name === name)!.input, name).to.include({ dryRun: false });
  });

  it("a real run's planboard jobs wait takes its first look at once, not after a poll interval (every job is enqueued when its work order is created)", async () => {
    const ran = await runMigration({ planboardPollSeconds: 30 });
    const firstLook = ran.find((task) => task.name === 'CheckPlanboardJobs')!.input;
    expect(firstLook.jobs).to.include({ looks: 0, waitSeconds: 0 });
    expect(firstLook.pollSeconds).to.equal(30);
  });
});
