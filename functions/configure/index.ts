import { getRunLifecycle } from '../../src/control/engine-lifecycle.ts';
import type { ConfiguredRun } from '../../src/control/types.ts';
import { withOutageErrors } from '../../src/handler/outage-errors.ts';
import { fieldsParser } from '../../src/handler/parse-event.ts';
import { preload } from '../../src/handler/engine.ts';

// Loaded during init, not on the first invocation.
preload('legacy');

const parse = fieldsParser('configure', ['customer', 'runId'], ['options', 'kind']);

/** Fills the run's options from the customer's profile, lists its active sub-projects, and records the run. */
export const handler = async (event: unknown): Promise<ConfiguredRun> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle().configure(input));
};
