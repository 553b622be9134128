import { SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_SQS_MESSAGE_BYTES } from './constants.ts';

/**
 * Gives a local queue the message size limit the Terraform queues have
 * (`max_message_size`, 256 KiB). fauxqs checks every message and every batch
 * entry against the queue's MaximumMessageSize, but defaults it to 1 MiB.
 * Set after CreateQueue rather than in it, so a queue persisted by an older
 * runtime (created without it) gets the limit too instead of a conflict.
 */
export async function applyQueueLimits(sqs: SQSClient, queueUrl: string): Promise<void> {
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { MaximumMessageSize: String(MAX_SQS_MESSAGE_BYTES) } }));
}
