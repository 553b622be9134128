import { expect } from 'chai';
import { StateMachine } from 'aws-local-stepfunctions';
import { effectiveSettings } from '../../../src/pipeline/run-settings.ts';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';
import { renderStateMachine } from '../../../tooling/statemachines/render.ts';
import { localTemplateVariables } from '../../helpers/statemachines.ts';

/** Runs the per-customer flow with every Task stubbed (RemoveMissing done after `stepsPerCollection` calls); returns the Tasks as they ran, with their inputs. */
async function runMigration(options: Record<string, unknown>, stepsPerCollection = 1): Promise<{ name: string; input: Record<string, unknown> }[]> {
  const settings = effectiveSettings(new FileProfiles('profiles').resolve('nobody-has-this-profile'), options);
  const ran: { name: string; input: Record<string, unknown> }[] = [];
  const done = { Status: 'SUCCEEDED', Output: {} };
  const calls = new Map<string, number>();
  const answers: Record<string, (input: Record<string, unknown>) => unknown> = {
    Configure: () => ({ customer: 'acme', runId: 'run-1', options: settings, subprojects: [] }),
    SaveWorkflows: () => ({ workflowIds: ['wfl_a'] }),
    DeactivateWorkflows: () => ({ deactivated: 1 }),
    SwitchEmailOff: () => ({ emailEnabled: true }),
    MigrateFlow: () => done,
    UpdateMigratedAssignmentsFlow: () => done,
    MigrateDocumentsFlow: () => done,
    CheckPlanboardJobs: () => ({ looks: 1, waitSeconds: 1, finished: true, timedOut: false }),
    MigratePlanboardFlow: () => done,
    RemoveMissing: (input) => {
      const count = (calls.get(String(input.collection)) ?? 0) + 1;
      calls.set(String(input.collection), count);
      return { done: count >= stepsPerCollection, deleted: 0, kept: 0 };
    },
    RestoreWorkflows: () => ({ workflowsRestored: true }),
    RestoreEmail: () => ({ emailRestored: true }),
    ReportSucceededRun: () => done,
    ReportFailedRun: () => done,
  };
  const handlers = Object.fromEntries(
    Object.entries(answers).map(([name, answer]) => [
      name,
      (input: Record<string, unknown>) => {
        ran.push({ name, input });
        return answer(input);
      },
    ]),
  );
  const machine = new StateMachine(renderStateMachine('migration', localTemplateVariables()) as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  await machine.run({ customer: 'acme', runId: 'run-1', options } as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: { WaitForPlanboardJobs: 0 } },
  }).result;
  return ran;
}

describe('DELETE_MISSING in the per-customer flow (statemachines/migration.json, Tasks stubbed)', () => {
  it('removes what is gone from the source after every migration step, children before parents, before the target is restored', async () => {
    const ran = await runMigration({ deleteMissing: true });
    const names = ran.map((task) => task.name);
    const removals = ran.filter((task) => task.name === 'RemoveMissing');
    expect(removals.map((task) => task.input.collection)).to.deep.equal([
      'planboard-slots',
      'documents',
      'work-orders',
      'connections',
      'contractors',
      'projects',
    ]);
    expect(removals[0]!.input).to.deep.include({ customer: 'acme', runId: 'run-1' });
    expect(names.indexOf('RemoveMissing')).to.be.above(names.indexOf('MigratePlanboardFlow'));
    expect(names.lastIndexOf('RemoveMissing')).to.be.below(names.indexOf('RestoreWorkflows'));
  });

  it("calls a collection's removal again until it says it is done", async () => {
    const ran = await runMigration({ deleteMissing: true }, 3);
    expect(ran.filter((task) => task.name === 'RemoveMissing' && task.input.collection === 'projects')).to.have.length(3);
  });

  it('removes nothing without the option, nor in a dry run', async () => {
    for (const options of [{}, { deleteMissing: true, dryRun: true }]) {
      expect(ran(await runMigration(options)), JSON.stringify(options)).to.not.include('RemoveMissing');
    }
  });
});

function ran(tasks: { name: string }[]): string[] {
  return tasks.map((task) => task.name);
}
