import { expect } from 'chai';
import { StateMachine } from 'aws-local-stepfunctions';
import { COLLECTIONS } from '../../../src/domain/constants.ts';
import { effectiveSettings } from '../../../src/pipeline/run-settings.ts';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';
import { renderStateMachine } from '../../../tooling/statemachines/render.ts';
import { EXECUTION_CONTEXT, localTemplateVariables } from '../../helpers/statemachines.ts';

type Task = { name: string; input: Record<string, unknown> };

/** Runs statemachines/redrive.json with every Task stubbed: `moved` says what each collection's redrive steps move, in turn. */
async function runRedrive(
  moved: Partial<Record<string, { moved: number; done: boolean }[]>>,
  fail?: string,
): Promise<{ ran: Task[]; output?: Record<string, unknown>; error?: Error }> {
  const settings = effectiveSettings(new FileProfiles('profiles').resolve('nobody-has-this-profile'));
  const ran: Task[] = [];
  const steps = structuredClone(moved);
  const answers: Record<string, (input: Record<string, unknown>) => unknown> = {
    Configure: () => ({ customer: 'acme', runId: 'rd-1', options: settings, subprojects: [], redriveOf: 'run-1' }),
    SaveWorkflows: () => ({ workflowIds: ['wfl_a'] }),
    DeactivateWorkflows: () => ({ deactivated: 1 }),
    SwitchEmailOff: () => ({ emailEnabled: true }),
    Redrive: (input) => {
      if (fail === input.collection) throw Object.assign(new Error('SQS said no'), { name: 'Error' });
      return steps[input.collection as string]?.shift() ?? { moved: 0, done: true };
    },
    CheckDrain: () => ({ looks: 1, waitSeconds: 1, finished: true, timedOut: false }),
    RestoreWorkflows: () => ({ workflowsRestored: true }),
    RestoreEmail: () => ({ emailRestored: true }),
    ReportSucceededRedrive: () => ({ reportJson: 's3://x' }),
    ReportFailedRedrive: () => ({ reportJson: 's3://x' }),
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
  const machine = new StateMachine(renderStateMachine('redrive', localTemplateVariables()) as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  try {
    const output = (await machine.run({ customer: 'acme', runId: 'rd-1', options: {} } as never, {
      context: EXECUTION_CONTEXT,
      overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: { WaitForDrain: 0 } },
    }).result) as Record<string, unknown>;
    return { ran, output };
  } catch (error) {
    return { ran, error: error as Error };
  }
}

describe('a redrive as a run of its own (statemachines/redrive.json, Tasks stubbed)', () => {
  it("switches the target off before any dead letter goes back, sends them collection by collection, parents first, waits for each queue that got some, then restores and writes the redriven run's report", async () => {
    const { ran } = await runRedrive({ documents: [{ moved: 3, done: true }] });
    const names = ran.map((task) => task.name);
    expect(names).to.deep.equal([
      'Configure',
      'SaveWorkflows',
      'DeactivateWorkflows',
      'SwitchEmailOff',
      'Redrive',
      'Redrive',
      'Redrive',
      'Redrive',
      'Redrive',
      'Redrive',
      'CheckDrain',
      'Redrive',
      'RestoreWorkflows',
      'RestoreEmail',
      'ReportSucceededRedrive',
    ]);
    expect(ran.filter((task) => task.name === 'Redrive').map((task) => task.input)).to.deep.equal(
      COLLECTIONS.map((collection) => ({ customer: 'acme', runId: 'rd-1', collection })),
    );
    expect(ran.find((task) => task.name === 'CheckDrain')!.input).to.include({ customer: 'acme', runId: 'run-1', collection: 'documents' });
    expect(ran.at(-1)!.input).to.deep.include({ customer: 'acme', runId: 'rd-1', redriveOf: 'run-1', status: 'SUCCEEDED' });
  });

  it("calls a collection's redrive again until it says it is done, then waits for its queue", async () => {
    const { ran } = await runRedrive({
      'work-orders': [
        { moved: 10, done: false },
        { moved: 4, done: true },
      ],
    });
    const names = ran.map((task) => `${task.name} ${String(task.input.collection ?? '')}`.trim());
    expect(names.slice(names.indexOf('Redrive work-orders'), names.indexOf('Redrive work-orders') + 3)).to.deep.equal([
      'Redrive work-orders',
      'Redrive work-orders',
      'CheckDrain work-orders',
    ]);
  });

  it('sends nothing of a later collection once one failed: the run goes to its restore at once', async () => {
    const { ran } = await runRedrive({}, 'connections');
    const names = ran.map((task) => task.name);
    expect(ran.filter((task) => task.name === 'Redrive').map((task) => task.input.collection)).to.deep.equal(['projects', 'contractors', 'connections']);
    expect(names.indexOf('RestoreWorkflows')).to.be.greaterThan(names.lastIndexOf('Redrive'));
  });

  it('still restores the target and reports the redrive FAILED when a step fails', async () => {
    const { ran, error } = await runRedrive({}, 'connections');
    expect(ran.map((task) => task.name).slice(-3)).to.deep.equal(['RestoreWorkflows', 'RestoreEmail', 'ReportFailedRedrive']);
    expect(ran.at(-1)!.input).to.deep.include({ status: 'FAILED', redriveOf: 'run-1' });
    expect(error).to.not.equal(undefined);
  });
});
