import { SQSClient } from '@aws-sdk/client-sqs';
import { eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { queueDepth, type QueueDepth } from '../../src/queue/drain.ts';

/** Input: the collection's queue, whose emptiness gates the dependent collections. */
export interface DrainCheckEvent {
  queueUrl: string;
}

const parse = eventParser<DrainCheckEvent>('drain-check', {
  type: 'object',
  required: ['queueUrl'],
  properties: { queueUrl: { type: 'string', minLength: 1 } },
});

const sqs = new SQSClient({});

/** Reports how many messages are waiting or in flight on the queue. */
export const handler = async (event: unknown): Promise<QueueDepth> => {
  const { queueUrl } = parse(event);
  const depth = await queueDepth(sqs, queueUrl);
  logger.info('queue depth', { queueUrl, ...depth });
  return depth;
};
