import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { Collection } from '../../src/domain/types.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import type { PageState } from '../../src/pipeline/types.ts';
import { queueDepth, type QueueDepth } from '../../src/queue/drain.ts';

/** Input: the collection whose queue gates the dependent collections, and what its producers sent. */
export interface DrainCheckEvent {
  collection: Collection;
  /** The producers' final page states (one per id range); absent means "look at the queue". */
  produced?: PageState[];
}

const parse = eventParser<DrainCheckEvent>('drain-check', {
  type: 'object',
  required: ['collection'],
  properties: { collection: { enum: [...COLLECTIONS] }, produced: { type: 'array', items: { type: 'object' } } },
});

/**
 * Reports how many messages of the collection are waiting, delayed or in
 * flight. When this flow's producers sent nothing (everything was already
 * migrated), there is nothing of its own to wait for: `nothingQueued`.
 */
export const handler = async (event: unknown): Promise<QueueDepth & { nothingQueued: boolean }> => {
  const { collection, produced } = parse(event);
  if (produced && produced.reduce((sum, page) => sum + (page.queued ?? 0), 0) === 0) {
    return { visible: 0, inFlight: 0, delayed: 0, drained: true, nothingQueued: true };
  }
  const engine = getEngine();
  const depth = await queueDepth(engine.sqs, engine.env.queueUrls[collection]);
  logger.info('queue depth', { collection, ...depth });
  return { ...depth, nothingQueued: false };
};
