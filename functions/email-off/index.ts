import { getRunLifecycle } from '../../src/control/index.ts';
import { fieldsParser, preload, withOutageErrors } from '../../src/handler/index.ts';

// Loaded during init, not on the first invocation.
preload('target');

const parse = fieldsParser('email-off', ['customer', 'runId', 'targetRps']);

/** Records the e-mail setting to restore, then switches e-mail off. */
export const handler = async (event: unknown): Promise<{ emailEnabled: boolean }> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle().switchEmailOff(input));
};
