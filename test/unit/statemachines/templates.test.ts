import { expect } from 'chai';
import aslValidator from 'asl-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderStateMachine, renderTemplate, STATEMACHINES_DIR, templateNames, templateVariables } from '../../../tooling/statemachines/render.ts';
import { localTemplateVariables } from '../../helpers/statemachines.ts';

type State = Record<string, unknown> & { Type: string; States?: Record<string, State> };

/** Every state of a definition, nested Map and Parallel states included. */
function allStates(states: Record<string, State>): [string, State][] {
  const out: [string, State][] = [];
  for (const [name, state] of Object.entries(states)) {
    out.push([name, state]);
    for (const branch of [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[]) ?? [])] as ({ States?: Record<string, State> } | undefined)[]) {
      if (branch?.States) out.push(...allStates(branch.States));
    }
  }
  return out;
}

const validate = aslValidator;

describe('state machine templates (statemachines/*.json)', () => {
  const names = templateNames();
  const variables = localTemplateVariables();

  it('has the per-customer flow and every sub-flow of the design', () => {
    expect(names).to.include.members(['migration', 'process', 'migrate', 'update-migrated-assignments', 'migrate-documents', 'migrate-planboard', 'generate-report', 'resource']);
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
        expect(text).to.not.match(/"QueryLanguage"|"Assign"|"Arguments"|"Output"\s*:|"ItemReader"|"ItemBatcher"|"ResultWriter"|"ToleratedFailure|\$\$\.Task\.Token|\{%/);
      });

      it('loops only with a bound: every Wait is followed by a poll counted against a maximum', () => {
        const text = readFileSync(join(STATEMACHINES_DIR, `${name}.json`), 'utf8');
        const waits = states.filter(([, state]) => state.Type === 'Wait');
        if (waits.length > 0) expect(text).to.match(/MaxPolls/);
      });
    });
  }

  it('restores workflows and e-mail on every failure path of the per-customer flow: every Catch leads to RestoreWorkflows', () => {
    const definition = renderStateMachine('migration', variables) as { States: Record<string, State> };
    const catchers = Object.entries(definition.States).flatMap(([name, state]) => ((state.Catch as { Next: string }[] | undefined) ?? []).map((c) => [name, c.Next] as const));
    const beforeRestore = catchers.filter(([name]) => !['RestoreWorkflows', 'RestoreEmail', 'ReportFailedRun'].includes(name));
    expect(beforeRestore.length).to.be.greaterThan(5);
    for (const [name, next] of beforeRestore) expect(next, name).to.equal('RestoreWorkflows');
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
