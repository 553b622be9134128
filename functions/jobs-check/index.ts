import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { ProgressWait } from '../../src/wait/progress-wait.ts';
import type { ProgressWaitState } from '../../src/wait/types.ts';

/** Input: the customer whose planboard-preparation jobs the workflow waits for, and where the wait stands. */
export interface JobsCheckEvent {
  customer: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
  /** The wait so far (`looks: 0` before the first look). */
  jobs: ProgressWaitState;
  /** Shortest pause between two looks, and how long the pending count may go without falling. */
  pollSeconds: number;
  timeoutSeconds: number;
}

const parse = eventParser<JobsCheckEvent>('jobs-check', {
  type: 'object',
  required: ['customer', 'targetRps', 'jobs', 'pollSeconds', 'timeoutSeconds'],
  properties: {
    customer: CUSTOMER_SCHEMA,
    targetRps: { type: 'number', exclusiveMinimum: 0 },
    jobs: { type: 'object', required: ['looks'], properties: { looks: { type: 'integer', minimum: 0 } } },
    pollSeconds: { type: 'number', minimum: 1 },
    timeoutSeconds: { type: 'number', minimum: 0 },
  },
});

/**
 * Counts pending planboard-preparation jobs and answers the wait's next
 * state: finished when none is pending, timed out when the count has not
 * fallen for `timeoutSeconds` (a reported failure, not a hang).
 */
export const handler = async (event: unknown): Promise<ProgressWaitState> => {
  const { customer, targetRps, jobs, pollSeconds, timeoutSeconds } = parse(event);
  const pending = await (await getEngine().controlClient(customer, targetRps)).countPendingPlanboardJobs();
  const state = new ProgressWait({ minWaitSeconds: pollSeconds, timeoutSeconds, answersToFinish: 1 }).next(jobs, { remaining: pending });
  logger.info('planboard jobs pending', { customer, pending, ...state });
  return state;
};
