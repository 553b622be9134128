import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** What one redrive moved. */
export interface RedriveResult {
  moved: number;
}

/**
 * Moves dead-lettered messages back to their FIFO source queue, keeping each
 * message's group. Hand-written because StartMessageMoveTask is missing from
 * the local emulator (docs/local-runtime.md, fauxqs): receive, send, then delete, so a crash
 * in between re-delivers a message rather than losing it (the consumer's ledger
 * check and Idempotency-Key make a second delivery harmless).
 */
export async function redrive(
  sqs: SQSClient,
  deadLetterQueueUrl: string,
  sourceQueueUrl: string,
  maxMessages = Number.MAX_SAFE_INTEGER,
): Promise<RedriveResult> {
  let moved = 0;
  while (moved < maxMessages) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(10, maxMessages - moved),
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceQueueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          MessageAttributes: message.MessageAttributes,
          MessageGroupId: message.Attributes?.MessageGroupId ?? 'redrive',
          // A fresh deduplication id: the original one may still be inside SQS's 5-minute window.
          MessageDeduplicationId: `${message.MessageId ?? index}-redrive-${Date.now()}`.slice(0, 128),
        })),
      }),
    );
    const failed = new Set((sent.Failed ?? []).map((entry) => entry.Id));
    const toDelete = messages
      .map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' }))
      .filter((entry) => !failed.has(entry.Id));
    if (toDelete.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: deadLetterQueueUrl, Entries: toDelete }));
    moved += toDelete.length;
    if (failed.size > 0) throw new Error(`redrive: ${failed.size} message(s) could not be sent back to ${sourceQueueUrl}; they stay in the dead-letter queue`);
  }
  return { moved };
}
