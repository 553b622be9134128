import { getEngine, preload } from '../../src/handler/engine.ts';
import { withOutageErrors } from '../../src/handler/outage-errors.ts';
import { fieldsParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { ProgressWait } from '../../src/wait/progress-wait.ts';
import type { ProgressWaitState } from '../../src/wait/types.ts';

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
