import { getRunLifecycle } from '../../src/control/index.ts';
import { fieldsParser, preload, withOutageErrors } from '../../src/handler/index.ts';

// Loaded during init, not on the first invocation.
preload('target');

const parse = fieldsParser('email-restore', ['customer', 'runId', 'targetRps'], ['dryRun']);

/** Puts back the e-mail setting still to restore; runs on success and in every Catch. */
export const handler = async (event: unknown): Promise<{ emailRestored: boolean }> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle().restoreEmail(input));
};
