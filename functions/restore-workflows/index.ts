import { getRunLifecycle } from '../../src/control/index.ts';
import { fieldsParser, preload, withOutageErrors } from '../../src/handler/index.ts';

// Loaded during init, not on the first invocation.
preload('target');

const parse = fieldsParser('restore-workflows', ['customer', 'targetRps', 'workflowIds'], ['dryRun']);

/** Switches back on the saved workflows and every one still to restore; runs on success and in every Catch. */
export const handler = async (event: unknown): Promise<{ workflowsRestored: boolean }> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle().restoreWorkflows(input));
};
