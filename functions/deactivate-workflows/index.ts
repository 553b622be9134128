import { getRunLifecycle } from '../../src/control/engine-lifecycle.ts';
import { withOutageErrors } from '../../src/handler/outage-errors.ts';
import { fieldsParser } from '../../src/handler/parse-event.ts';
import { preload } from '../../src/handler/engine.ts';

// Loaded during init, not on the first invocation.
preload('target');

const parse = fieldsParser('deactivate-workflows', ['customer', 'targetRps', 'workflowIds']);

/** Switches the saved workflows off so migrated work orders trigger no e-mail. */
export const handler = async (event: unknown): Promise<{ deactivated: number }> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle().deactivateWorkflows(input));
};
