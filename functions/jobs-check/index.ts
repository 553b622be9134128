import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';

/** Input: the customer whose planboard-preparation jobs the workflow waits for. */
export interface JobsCheckEvent {
  customer: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
}

const parse = eventParser<JobsCheckEvent>('jobs-check', {
  type: 'object',
  required: ['customer', 'targetRps'],
  properties: { customer: CUSTOMER_SCHEMA, targetRps: { type: 'number', exclusiveMinimum: 0 } },
});

/** Counts pending planboard-preparation jobs; the state machine's bounded loop decides to wait or go on. */
export const handler = async (event: unknown): Promise<{ pending: number; done: boolean }> => {
  const { customer, targetRps } = parse(event);
  const pending = await (await getEngine().controlClient(customer, targetRps)).countPendingPlanboardJobs();
  logger.info('planboard jobs pending', { customer, pending });
  return { pending, done: pending === 0 };
};
