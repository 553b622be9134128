import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { Collection } from '../../src/domain/types.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { queueDepth, type QueueDepth } from '../../src/queue/drain.ts';

/** Input: the collection whose queue gates the dependent collections. */
export interface DrainCheckEvent {
  collection: Collection;
}

const parse = eventParser<DrainCheckEvent>('drain-check', {
  type: 'object',
  required: ['collection'],
  properties: { collection: { enum: [...COLLECTIONS] } },
});

/** Reports how many messages of the collection are waiting, delayed or in flight. */
export const handler = async (event: unknown): Promise<QueueDepth> => {
  const { collection } = parse(event);
  const engine = getEngine();
  const depth = await queueDepth(engine.sqs, engine.env.queueUrls[collection]);
  logger.info('queue depth', { collection, ...depth });
  return depth;
};
