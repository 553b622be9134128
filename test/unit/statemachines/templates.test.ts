import { expect } from 'chai';
import aslValidator from 'asl-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderStateMachine, renderTemplate, STATEMACHINES_DIR, templateNames, templateVariables } from '../../../tooling/statemachines/render.ts';
import { ROLLBACK_ORDER } from '../../../src/rollback/constants.ts';
import { localTemplateVariables } from '../../helpers/statemachines.ts';

type State = Record<string, unknown> & { Type: string; States?: Record<string, State> };

/** Every state of a definition, nested Map and Parallel states included. */
function allStates(states: Record<string, State>): [string, State][] {
  const out: [string, State][] = [];
  for (const [name, state] of Object.entries(states)) {
    out.push([name, state]);
    for (const branch of [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[]) ?? [])] as (
      | { States?: Record<string, State> }
      | undefined
    )[]) {
      if (branch?.States) out.push(...allStates(branch.States));
    }
  }
  return out;
}

const validate = aslValidator;

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

describe('state machine templates (statemachines/*.json)', () => {
  const names = templateNames();
  const variables = localTemplateVariables();

  it('has the per-customer flow and every sub-flow of the design', () => {
    expect(names).to.include.members([
      'migration',
      'process',
      'migrate',
      'update-migrated-assignments',
      'migrate-documents',
      'migrate-planboard',
      'generate-report',
      'resource',
      'verify',
      'rollback',
      'rollback-subproject',
      'remove-resource',
    ]);
  });

  for (const name of names) {
    describe(name, () => {
      const definition = renderStateMachine(name, variables) as { States: Record<string, State> };
      const states = allStates(definition.States);

      it('passes asl-validator once rendered', () => {
        const result = validate(definition, { checkArn: true, checkPaths: true });
        expect(result.errors, JSON.stringify(result.errors)).to.deep.equal([]);
        expect(result.isValid).to.equal(true);
      });

      it('uses JSONPath only, nothing the local runtime ignores or lacks (JSONata, Assign, ItemReader, ItemBatcher, ResultWriter, tolerated failures)', () => {
        const text = readFileSync(join(STATEMACHINES_DIR, `${name}.json`), 'utf8');
        expect(text).to.not.match(
          /"QueryLanguage"|"Assign"|"Arguments"|"Output"\s*:|"ItemReader"|"ItemBatcher"|"ResultWriter"|"ToleratedFailure|\$\$\.Task\.Token|\{%/,
        );
      });

      it('loops only with a bound on lack of progress: every Wait takes its seconds from the check it leads to, and that check decides finished or timed out', () => {
        for (const [name, wait] of states.filter(([, state]) => state.Type === 'Wait')) {
          if (wait.SecondsPath === '$.page.hold.waitSeconds') {
            // A producer's hold (src/pipeline/back-pressure.ts): the producer is the check; it fails the flow itself once the queue stops falling for drainTimeoutSeconds.
            const producer = states.find(([stateName]) => stateName === wait.Next)![1];
            expect(producer.ResultPath, `${String(wait.Next)} ResultPath`).to.equal('$.page');
            const choice = states.find(([stateName]) => stateName === producer.Next)![1];
            const rules = choice.Choices as { Variable: string; Next: string }[];
            expect(
              rules.map((rule) => rule.Variable),
              `${String(producer.Next)} choices`,
            ).to.include.members(['$.page.done', '$.page.hold']);
            expect(rules.find((rule) => rule.Variable === '$.page.hold')!.Next).to.equal(name);
            continue;
          }
          const [, key] = /^\$\.(\w+)\.waitSeconds$/.exec(String(wait.SecondsPath)) ?? [];
          expect(key, `${name} SecondsPath`).to.be.a('string');
          const check = definition.States[wait.Next as string]!;
          expect(check.Type, `${name} → ${String(wait.Next)}`).to.equal('Task');
          expect(check.ResultPath, `${String(wait.Next)} ResultPath`).to.equal(`$.${key}`);
          const choice = definition.States[check.Next as string]!;
          const variables = (choice.Choices as { Variable: string; Next: string }[]).map((rule) => rule.Variable);
          expect(variables, `${String(check.Next)} choices`).to.include.members([`$.${key}.finished`, `$.${key}.timedOut`]);
          expect(choice.Default, `${String(check.Next)} default`).to.equal(name);
        }
      });
    });
  }

  /** The Lambda Tasks of every template whose Resource is one of these functions. */
  function tasksOf(functionArnVariables: string[]): [string, State][] {
    const arns = new Set(functionArnVariables.map((variable) => variables[variable]));
    return names.flatMap((template) =>
      allStates((renderStateMachine(template, variables) as { States: Record<string, State> }).States)
        .filter(([, state]) => state.Type === 'Task' && arns.has(state.Resource as string))
        .map(([name, state]): [string, State] => [`${template}/${name}`, state]),
    );
  }

  /** Asserts that the state retries `error` long enough to ride out an outage of about five minutes, and no longer. */
  function expectRidesOutOutage(name: string, state: State, error: string): void {
    const retrier = ((state.Retry as Retrier[] | undefined) ?? []).find((candidate) => candidate.ErrorEquals.includes(error));
    expect(retrier, `${name} retries ${error}`).to.not.equal(undefined);
    expect(retrier!.JitterStrategy ?? 'NONE', `${name}: jitter would make the covered outage a matter of luck`).to.equal('NONE');
    const delays = Array.from({ length: retrier!.MaxAttempts }, (_, attempt) =>
      Math.min(retrier!.IntervalSeconds * retrier!.BackoffRate ** attempt, retrier!.MaxDelaySeconds ?? Infinity),
    );
    const covered = delays.reduce((sum, delay) => sum + delay, 0);
    expect(covered, `${name}: seconds of outage covered`).to.be.within(240, 600);
    expect(Math.max(...delays), `${name}: longest pause`).to.be.at.most(60);
  }

  it('rides out a legacy database outage of about five minutes in every legacy-reading step (configure, producers), and no longer (bounded retries)', () => {
    const steps = tasksOf(['configure_function_arn', 'producer_function_arn']);
    expect(steps.map(([name]) => name)).to.have.members(['migration/Configure', 'rollback/Configure', 'resource/PlanRanges', 'resource/ProducePage']);
    for (const [name, state] of steps) expectRidesOutOutage(name, state, 'LegacyDbUnreachableError');
  });

  it('rides out a FiberConnect outage of about five minutes in every target-control step, and no longer (bounded retries)', () => {
    const steps = tasksOf([
      'save_workflows_function_arn',
      'deactivate_workflows_function_arn',
      'email_off_function_arn',
      'jobs_check_function_arn',
      'restore_workflows_function_arn',
      'email_restore_function_arn',
    ]);
    expect(steps.map(([name]) => name)).to.have.members([
      'migration/SaveWorkflows',
      'migration/DeactivateWorkflows',
      'migration/SwitchEmailOff',
      'migration/CheckPlanboardJobs',
      'migration/RestoreWorkflows',
      'migration/RestoreEmail',
      'rollback/SaveWorkflows',
      'rollback/DeactivateWorkflows',
      'rollback/SwitchEmailOff',
      'rollback/RestoreWorkflows',
      'rollback/RestoreEmail',
    ]);
    for (const [name, state] of steps) {
      expectRidesOutOutage(name, state, 'TargetUnavailableError');
      const retried = ((state.Retry as Retrier[]) ?? []).flatMap((retrier) => retrier.ErrorEquals);
      expect(retried, `${name}: a refusal (401, 400) is no outage and is not retried`).to.not.include('TargetError');
    }
  });

  it('still reports the run when the restore steps exhaust their retries: each catches every error and goes on towards the report', () => {
    const definition = renderStateMachine('migration', variables) as { States: Record<string, State> };
    for (const [name, next] of [
      ['RestoreWorkflows', 'RestoreEmail'],
      ['RestoreEmail', 'Outcome?'],
    ] as const) {
      const catchers = (definition.States[name]!.Catch as { ErrorEquals: string[]; Next: string }[] | undefined) ?? [];
      expect(catchers.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next, name).to.equal(next);
    }
  });

  it('restores workflows and e-mail on every failure path of the per-customer flow: every Catch leads to RestoreWorkflows', () => {
    const definition = renderStateMachine('migration', variables) as { States: Record<string, State> };
    const catchers = Object.entries(definition.States).flatMap(([name, state]) =>
      ((state.Catch as { Next: string }[] | undefined) ?? []).map((c) => [name, c.Next] as const),
    );
    const beforeRestore = catchers.filter(([name]) => !['RestoreWorkflows', 'RestoreEmail', 'ReportFailedRun'].includes(name));
    expect(beforeRestore.length).to.be.greaterThan(5);
    for (const [name, next] of beforeRestore) expect(next, name).to.equal('RestoreWorkflows');
  });

  it('restores workflows and e-mail on every failure path of the rollback too, and reports it in every outcome', () => {
    const definition = renderStateMachine('rollback', variables) as { States: Record<string, State> };
    const catchers = Object.entries(definition.States).flatMap(([name, state]) =>
      ((state.Catch as { Next: string }[] | undefined) ?? []).map((c) => [name, c.Next] as const),
    );
    const beforeRestore = catchers.filter(([name]) => !['RestoreWorkflows', 'RestoreEmail', 'ReportFailedRollback'].includes(name));
    expect(beforeRestore.map(([name]) => name)).to.have.members(['SaveWorkflows', 'DeactivateWorkflows', 'SwitchEmailOff', 'RollbackFlow']);
    for (const [name, next] of beforeRestore) expect(next, name).to.equal('RestoreWorkflows');
    const outcome = definition.States['Outcome?']!;
    expect([...(outcome.Choices as { Next: string }[]).map((c) => c.Next), outcome.Default]).to.have.members([
      'ReportFailedRollback',
      'RestoreFailed',
      'ReportSucceededRollback',
    ]);
    expect((definition.States.Configure!.Parameters as Record<string, unknown>).kind).to.equal('rollback');
  });

  it("removes each sub-project's collections children before parents, each drained before the next", () => {
    const definition = renderStateMachine('rollback-subproject', variables) as { StartAt: string; States: Record<string, State> };
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name; name = definition.States[name]!.Next as string | undefined) {
      order.push((definition.States[name]!.Parameters as { Input: { collection: string } }).Input.collection);
    }
    expect(order).to.deep.equal([...ROLLBACK_ORDER]);
  });

  it('refuses to render a template whose variable is not bound', () => {
    expect(() => renderTemplate('t.json', '{"Resource":"${missing_arn}"}', {})).to.throw(/missing_arn is not bound/);
  });

  it('renders $${ as a literal ${, as Terraform does', () => {
    expect(renderTemplate('t.json', '{"a":"$${x}","b":"${y}"}', { y: 'z' })).to.deep.equal({ a: '${x}', b: 'z' });
  });

  it('lists the variables a template interpolates', () => {
    expect(templateVariables('{"a":"${one}","b":"${two}","c":"$${three}"}')).to.deep.equal(['one', 'two']);
  });
});
