import { getRunLifecycle } from '../../src/control/index.ts';
import { fieldsParser, preload, withOutageErrors } from '../../src/handler/index.ts';

// Loaded during init, not on the first invocation.
preload('target');

const parse = fieldsParser('deactivate-workflows', ['customer', 'targetRps', 'workflowIds']);

/** Switches the saved workflows off so migrated work orders trigger no e-mail. */
export const handler = async (event: unknown): Promise<{ deactivated: number }> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle().deactivateWorkflows(input));
};
