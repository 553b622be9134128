import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { Collection } from '../../src/domain/types.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { fieldsParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { redrive } from '../../src/queue/redrive.ts';

/** Input: the collections whose dead-letter queues to move back (all when none is named). */
const parse = fieldsParser('redrive', [], ['collections']);

/** Moves dead-lettered messages back to their source queues for another try. */
export const handler = async (event: unknown): Promise<{ moved: Partial<Record<Collection, number>> }> => {
  const { collections = [...COLLECTIONS] } = parse(event ?? {});
  const engine = getEngine();
  const moved: Partial<Record<Collection, number>> = {};
  for (const collection of collections) {
    moved[collection] = (await redrive(engine.sqs, engine.env.deadLetterQueueUrls[collection], engine.env.queueUrls[collection])).moved;
  }
  logger.info('redrive done', { moved });
  return { moved };
};
