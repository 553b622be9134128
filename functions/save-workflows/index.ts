import { getRunLifecycle } from '../../src/control/index.ts';
import { fieldsParser, preload, withOutageErrors } from '../../src/handler/index.ts';

// Loaded during init, not on the first invocation.
preload('target');

const parse = fieldsParser('save-workflows', ['customer', 'runId', 'targetRps']);

/** Returns the workflows to switch back on at the end of the run: those ACTIVE now and those earlier runs left off. */
export const handler = async (event: unknown): Promise<{ workflowIds: string[] }> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle().saveWorkflows(input));
};
