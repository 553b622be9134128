import { isObject, type Problems } from './terraform-model.ts';

/*
 * The state machines and the functions they call agree on time:
 *
 * - A Task that invokes a Lambda sets TimeoutSeconds of at least the
 *   function's timeout + TIMEOUT_MARGIN_SECONDS. A function that runs out of
 *   time then fails as itself (Sandbox.Timedout / Lambda.Unknown, which the
 *   Retry can name) before the state gives up with States.Timeout, which
 *   would start a retry while the first invocation may still be running and
 *   writing. The margin covers the invoke's own latency and a cold start.
 * - A Task that resumes from a cursor (its parameters carry `page`,
 *   `position` or `removalPage`) retries the errors AWS raises when the
 *   function times out or the invoke does: Lambda.Unknown, Sandbox.Timedout,
 *   Lambda.ClientExecutionTimeoutException. Its retry starts from the cursor
 *   the last answered step returned, so repeating it is safe.
 */

/** Seconds a state's timeout must exceed its function's timeout by. */
export const TIMEOUT_MARGIN_SECONDS = 30;

/** Errors a cursor step must retry: a function time-out and an invoke time-out, as AWS raises them. */
export const TIMEOUT_ERRORS: readonly string[] = ['Lambda.Unknown', 'Sandbox.Timedout', 'Lambda.ClientExecutionTimeoutException'];

/** Parameters that carry a cursor the step resumes from. */
const CURSOR_PARAMETERS = ['page.$', 'position.$', 'removalPage.$'];

type State = Record<string, unknown>;

function tasks(states: unknown, path: string[] = []): { path: string; state: State }[] {
  if (!isObject(states as never)) return [];
  return Object.entries(states as Record<string, State>).flatMap(([name, state]) => {
    const here = [...path, name];
    const nested = [state.ItemProcessor, state.Iterator].flatMap((inner) => tasks((inner as State | undefined)?.States, here));
    const branches = ((state.Branches as State[] | undefined) ?? []).flatMap((branch) => tasks(branch.States, here));
    return [...(state.Type === 'Task' ? [{ path: here.join('.'), state }] : []), ...nested, ...branches];
  });
}

/** The handler a template's Task invokes: `${producer_function_arn}` => producer. */
function handlerOf(state: State): string | undefined {
  const match = /^\$\{([a-z0-9_]+)_function_arn\}$/.exec(String(state.Resource ?? ''));
  return match?.[1]!.replace(/_/g, '-');
}

/** Every Lambda Task's TimeoutSeconds against its function's timeout (handler => seconds, from terraform/main.tf local.functions). */
export function checkStateTimeouts(templates: Readonly<Record<string, string>>, functionTimeouts: Readonly<Record<string, number>>): Problems {
  const problems: Problems = [];
  for (const [name, text] of Object.entries(templates)) {
    for (const { path, state } of tasks((JSON.parse(text) as State).States)) {
      const handler = handlerOf(state);
      if (!handler) continue;
      const timeout = functionTimeouts[handler];
      if (timeout === undefined) {
        problems.push(`statemachines/${name}.json ${path}: invokes ${handler}, which has no timeout in terraform/main.tf local.functions`);
        continue;
      }
      const seconds = state.TimeoutSeconds;
      if (typeof seconds !== 'number')
        problems.push(
          `statemachines/${name}.json ${path}: sets no TimeoutSeconds (${handler} times out after ${timeout} s: at least ${timeout + TIMEOUT_MARGIN_SECONDS})`,
        );
      else if (seconds < timeout + TIMEOUT_MARGIN_SECONDS)
        problems.push(
          `statemachines/${name}.json ${path}: TimeoutSeconds ${seconds} is below ${handler}'s timeout ${timeout} s + ${TIMEOUT_MARGIN_SECONDS} s: the state would give up while the function still runs`,
        );
    }
  }
  return problems;
}

/** Every cursor step's Retry names the function and invoke time-outs. */
export function checkCursorRetries(templates: Readonly<Record<string, string>>): Problems {
  const problems: Problems = [];
  for (const [name, text] of Object.entries(templates)) {
    for (const { path, state } of tasks((JSON.parse(text) as State).States)) {
      if (!handlerOf(state) || !CURSOR_PARAMETERS.some((p) => p in ((state.Parameters as State | undefined) ?? {}))) continue;
      const retried = new Set(((state.Retry as { ErrorEquals: string[] }[] | undefined) ?? []).flatMap((r) => r.ErrorEquals));
      const absent = TIMEOUT_ERRORS.filter((error) => !retried.has(error) && !retried.has('States.ALL'));
      if (absent.length > 0) problems.push(`statemachines/${name}.json ${path}: resumes from a cursor but does not retry ${absent.join(', ')}`);
    }
  }
  return problems;
}
