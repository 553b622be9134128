import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { Collection } from '../../src/domain/types.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import type { PageState } from '../../src/pipeline/types.ts';
import { checkDrain, queueDepth, type DrainState } from '../../src/queue/drain.ts';
import type { ProgressWaitState } from '../../src/wait/types.ts';

/** Input: the collection whose queue gates the dependent collections, what its producers sent, and where the wait stands. */
export interface DrainCheckEvent {
  customer: string;
  runId: string;
  collection: Collection;
  /** The producers' final page states (one per id range); absent means "look at the queue". */
  produced?: PageState[];
  /** The wait so far (`looks: 0` before the first look). */
  drain: ProgressWaitState;
  /** Shortest pause between two looks, and how long the wait may go without progress. */
  pollSeconds: number;
  timeoutSeconds: number;
}

const parse = eventParser<DrainCheckEvent>('drain-check', {
  type: 'object',
  required: ['customer', 'runId', 'collection', 'drain', 'pollSeconds', 'timeoutSeconds'],
  properties: {
    customer: CUSTOMER_SCHEMA,
    runId: { type: 'string', minLength: 1 },
    collection: { enum: [...COLLECTIONS] },
    produced: { type: 'array', items: { type: 'object' } },
    drain: { type: 'object', required: ['looks'], properties: { looks: { type: 'integer', minimum: 0 } } },
    pollSeconds: { type: 'number', minimum: 1 },
    timeoutSeconds: { type: 'number', exclusiveMinimum: 0 },
  },
});

/**
 * One look at the collection's queue and outcome counter; answers the wait's
 * next state (finished, timed out, or the seconds until the next look).
 * When this flow's producers sent nothing (everything was already migrated),
 * there is nothing of its own to wait for: `nothingQueued`.
 */
export const handler = async (event: unknown): Promise<DrainState> => {
  const { customer, runId, collection, produced, drain, pollSeconds, timeoutSeconds } = parse(event);
  if (produced && produced.reduce((sum, page) => sum + (page.queued ?? 0), 0) === 0) {
    const depth = { visible: 0, inFlight: 0, delayed: 0, drained: true };
    return { ...drain, looks: drain.looks + 1, waitSeconds: Math.ceil(pollSeconds), finished: true, timedOut: false, depth, nothingQueued: true };
  }
  const engine = getEngine();
  const state = await checkDrain(
    { depth: () => queueDepth(engine.sqs, engine.env.queueUrls[collection]), outcomes: () => engine.runs.outcomeCount(customer, runId, collection) },
    drain,
    { pollSeconds, timeoutSeconds },
  );
  logger.info('drain check', { collection, ...state });
  return state;
};
