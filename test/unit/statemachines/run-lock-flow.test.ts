import { expect } from 'chai';
import { StateMachine } from 'aws-local-stepfunctions';
import { renderStateMachine } from '../../../tooling/statemachines/render.ts';
import { localTemplateVariables } from '../../helpers/statemachines.ts';

const EXECUTION = 'arn:aws:states:eu-west-1:000000000000:execution:fiberplan-migration-local-migration:run-1';

/** Runs a per-customer template with every Task answering `{}` except Configure; returns the Tasks that ran, with their inputs, and the error the run ended with. */
async function runWith(
  template: string,
  configure: (input: Record<string, unknown>) => unknown,
  input: object = { customer: 'acme', runId: 'run-1', options: {} },
): Promise<{ ran: { name: string; input: Record<string, unknown> }[]; error?: Error }> {
  const definition = renderStateMachine(template, localTemplateVariables()) as { States: Record<string, { Type: string }> };
  const ran: { name: string; input: Record<string, unknown> }[] = [];
  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    handlers[name] = (input) => {
      ran.push({ name, input });
      if (name === 'Configure') return configure(input);
      // The report of a migration is a child flow (its description), a rollback's a Lambda (its answer).
      return name.startsWith('Report') ? { Status: 'SUCCEEDED', Output: {} } : {};
    };
  }
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const run = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never },
    context: { Execution: { Id: EXECUTION, Name: 'run-1' } } as never,
  });
  try {
    await run.result;
    return { ran };
  } catch (error) {
    return { ran, error: error as Error };
  }
}

const locked = () => {
  throw Object.assign(new Error('customer acme: run run-0 (migration of acme, started ...) is still going'), { name: 'RunLockedError' });
};

const FAILED_REPORT: Record<string, string> = { migration: 'ReportFailedRun', rollback: 'ReportFailedRollback', redrive: 'ReportFailedRedrive' };

for (const template of ['migration', 'rollback', 'redrive']) {
  describe(`the run lock in statemachines/${template}.json (Tasks stubbed)`, () => {
    it("hands Configure the execution's own ARN: the lock it takes names the execution that holds it", async () => {
      const { ran } = await runWith(template, locked);
      expect(ran[0]).to.deep.include({ name: 'Configure' });
      expect(ran[0]!.input).to.include({ customer: 'acme', runId: 'run-1', executionArn: EXECUTION });
    });

    it('restores and reports a stopped run when started again with restoreAfterStop: no Configure, the report says RunStopped', async () => {
      const stopped = {
        customer: 'acme',
        runId: 'run-1',
        restoreAfterStop: {
          run: { customer: 'acme', runId: 'run-1', redriveOf: 'run-0', options: { targetRps: 7, dryRun: false } },
          reason: 'stopped by make stop',
        },
      };
      const { ran, error } = await runWith(template, locked, stopped);
      expect(ran.map((task) => task.name)).to.deep.equal(['RestoreWorkflows', 'RestoreEmail', FAILED_REPORT[template]]);
      expect(ran[0]!.input).to.include({ customer: 'acme', targetRps: 7 });
      const report = ran[2]!.input as { Input?: Record<string, unknown> } & Record<string, unknown>;
      expect(report.Input ?? report).to.deep.include({
        customer: 'acme',
        runId: 'run-1',
        status: 'FAILED',
        error: { Error: 'RunStopped', Cause: 'stopped by make stop' },
      });
      expect(error, 'the stopped run ends FAILED').to.not.equal(undefined);
    });

    it('ends the execution at a refused Configure (RunLockedError): no restore, no report, nothing of the running run touched', async () => {
      const { ran, error } = await runWith(template, locked);
      expect(ran.map((task) => task.name)).to.deep.equal(['Configure']);
      const cause = (error as Error & { cause?: Error }).cause ?? error;
      expect(cause?.name).to.equal('RunLockedError');
    });
  });
}
