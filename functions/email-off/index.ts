import { getRunLifecycle } from '../../src/control/engine-lifecycle.ts';
import { withOutageErrors } from '../../src/handler/outage-errors.ts';
import { fieldsParser } from '../../src/handler/parse-event.ts';
import { preload } from '../../src/handler/engine.ts';

// Loaded during init, not on the first invocation.
preload('target');

const parse = fieldsParser('email-off', ['customer', 'runId', 'targetRps']);

/** Records the e-mail setting to restore, then switches e-mail off. */
export const handler = async (event: unknown): Promise<{ emailEnabled: boolean }> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle().switchEmailOff(input));
};
