import type { Context } from 'aws-lambda';
import { fieldsParser, getEngine, logger } from '../../src/handler/index.ts';
import { redrive, type RedriveResult } from '../../src/queue/index.ts';

/** Input: the customer whose dead letters go back, the redrive run (its progress counts them), and the collection whose dead-letter queue to search. */
const parse = fieldsParser('redrive', ['customer', 'runId', 'collection']);

/** Stops this long before the Lambda's timeout, leaving time to show the other customers' messages again. */
const SAFETY_MS = 60_000;
/** Most time one step searches: keeps each step's retry cheap. */
const BUDGET_MS = 120_000;

/**
 * One step of a redrive (statemachines/redrive.json): moves the customer's
 * dead-lettered messages of one collection back to its queue, leaving every
 * other customer's where they are; answers `done: false` when it ran out of
 * time, and the workflow calls it again.
 */
export const handler = async (event: unknown, context?: Context): Promise<RedriveResult> => {
  const { customer, runId, collection } = parse(event);
  const engine = getEngine();
  const remaining = context?.getRemainingTimeInMillis?.() ?? BUDGET_MS + SAFETY_MS;
  const deadline = Date.now() + Math.min(BUDGET_MS, remaining - SAFETY_MS);
  const result = await redrive(engine.sqs, engine.env.deadLetterQueueUrls[collection], engine.env.queueUrls[collection], { customer, deadline });
  await engine.runs.addRedriven(customer, runId, collection, result.moved);
  logger.info('redrive step', { customer, runId, collection, ...result });
  return result;
};
