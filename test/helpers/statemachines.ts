import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATEMACHINES_DIR, templateNames, templateVariables } from '../../tooling/statemachines/render.ts';

/** A value for every variable the templates use: Lambda ARNs for `*_function_arn`, state machine ARNs otherwise. */
export function localTemplateVariables(): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const name of templateNames()) {
    for (const variable of templateVariables(readFileSync(join(STATEMACHINES_DIR, `${name}.json`), 'utf8'))) {
      variables[variable] = variable.endsWith('_function_arn')
        ? `arn:aws:lambda:eu-west-1:000000000000:function:test-${variable.replace(/_function_arn$/, '').replaceAll('_', '-')}`
        : `arn:aws:states:eu-west-1:000000000000:stateMachine:test-${variable.replace(/_arn$/, '').replaceAll('_', '-')}`;
    }
  }
  return variables;
}

/** The context object of a run of the per-customer flows in these tests: Configure reads `$$.Execution.Id` (the run lock's holder). */
export const EXECUTION_CONTEXT = {
  Execution: { Id: 'arn:aws:states:eu-west-1:000000000000:execution:test-migration:run-1', Name: 'run-1' },
} as never;
