import { fieldsParser, getEngine, logger, preload, withOutageErrors } from '../../src/handler/index.ts';
import { ProgressWait, type ProgressWaitState } from '../../src/wait/index.ts';

// Loaded during init, not on the first invocation.
preload('target');

/** Input: the customer whose planboard-preparation jobs the workflow waits for, the run's target rate, and where the wait stands. */
const parse = fieldsParser('jobs-check', ['customer', 'targetRps', 'jobs', 'pollSeconds', 'timeoutSeconds']);

/**
 * Counts pending planboard-preparation jobs and answers the wait's next
 * state: finished when none is pending, timed out when the count has not
 * fallen for `timeoutSeconds` (a reported failure, not a hang).
 */
export const handler = async (event: unknown): Promise<ProgressWaitState> => {
  const { customer, targetRps, jobs, pollSeconds, timeoutSeconds } = parse(event);
  const pending = await withOutageErrors(async () => (await getEngine().controlClient(customer, targetRps)).countPendingPlanboardJobs());
  const state = new ProgressWait({ minWaitSeconds: pollSeconds, timeoutSeconds, answersToFinish: 1 }).next(jobs, { remaining: pending });
  logger.info('planboard jobs pending', { customer, pending, ...state });
  return state;
};
