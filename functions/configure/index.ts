import { type ConfiguredRun, executionRunning, getRunLifecycle, stepFunctionsClient } from '../../src/control/index.ts';
import { fieldsParser, preload, withOutageErrors } from '../../src/handler/index.ts';

// Loaded during init, not on the first invocation.
preload('legacy');

const parse = fieldsParser('configure', ['customer', 'runId', 'executionArn'], ['options', 'kind', 'plan']);

/** Fills the run's options from the customer's profile, runs the legacy pre-check, takes the run's locks (RunLockedError when another run holds one), and records the run. */
/** Step Functions, asked whether the holder of a run lock still runs (a stale lock is taken over). */
const sfn = stepFunctionsClient();

export const handler = async (event: unknown): Promise<ConfiguredRun> => {
  const input = parse(event);
  return withOutageErrors(() => getRunLifecycle((executionArn) => executionRunning(sfn, executionArn)).configure(input));
};
