import { SQSClient } from '@aws-sdk/client-sqs';
import { eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { redrive, type RedriveResult } from '../../src/queue/redrive.ts';

/** Input: a dead-letter queue and the FIFO queue its messages came from. */
export interface RedriveEvent {
  deadLetterQueueUrl: string;
  sourceQueueUrl: string;
  maxMessages?: number;
}

const parse = eventParser<RedriveEvent>('redrive', {
  type: 'object',
  required: ['deadLetterQueueUrl', 'sourceQueueUrl'],
  properties: {
    deadLetterQueueUrl: { type: 'string', minLength: 1 },
    sourceQueueUrl: { type: 'string', minLength: 1 },
    maxMessages: { type: 'integer', minimum: 1 },
  },
});

const sqs = new SQSClient({});

/** Moves dead-lettered messages back to their source queue for another try. */
export const handler = async (event: unknown): Promise<RedriveResult> => {
  const { deadLetterQueueUrl, sourceQueueUrl, maxMessages } = parse(event);
  const result = await redrive(sqs, deadLetterQueueUrl, sourceQueueUrl, maxMessages);
  logger.info('redrive done', { deadLetterQueueUrl, sourceQueueUrl, ...result });
  return result;
};
