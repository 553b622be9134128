import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { targetClientFor } from '../../src/target/client-cache.ts';

/** Input: the customer whose planboard-preparation jobs the workflow waits for. */
export interface JobsCheckEvent {
  customer: string;
}

const parse = eventParser<JobsCheckEvent>('jobs-check', {
  type: 'object',
  required: ['customer'],
  properties: { customer: CUSTOMER_SCHEMA },
});

/** Counts pending planboard-preparation jobs; the state machine's bounded loop decides to wait or go on. */
export const handler = async (event: unknown): Promise<{ pending: number; done: boolean }> => {
  const { customer } = parse(event);
  const pending = await (await targetClientFor(customer)).countPendingPlanboardJobs();
  logger.info('planboard jobs pending', { customer, pending });
  return { pending, done: pending === 0 };
};
