import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** What one redrive step did. */
export interface RedriveResult {
  /** The customer's dead letters sent back to their queue. */
  moved: number;
  /** False when the step ran out of time: the next one goes on. */
  done: boolean;
}

/** Which dead letters, and until when. */
export interface RedriveScope {
  /** Only this customer's messages are sent back; every other customer's stay in the dead-letter queue. */
  customer: string;
  /** Ms since epoch: no new receive after it. */
  deadline: number;
}

/** How long another customer's dead letter stays hidden while the queue is searched: past any step's end; it is shown again at the step's end. */
const HOLD_SECONDS = 900;
/** When another customer's dead letter is visible again after the step. */
const SHOW_AGAIN_SECONDS = 1;

/**
 * Moves one customer's dead-lettered messages back to their FIFO source
 * queue, keeping each message's group. The queue is shared by every
 * customer: a message of another customer (or one whose body names no
 * customer) is kept hidden while the rest is searched, and shown again at
 * the end, untouched. Hand-written because StartMessageMoveTask is missing
 * from the local emulator (docs/local-runtime.md, fauxqs) and moves every
 * message: receive, send, then delete, so a crash in between re-delivers a
 * message rather than losing it (the consumer's ledger check and
 * Idempotency-Key make a second delivery harmless).
 *
 * @example
 * const { moved, done } = await redrive(sqs, dlqUrl, queueUrl, { customer: 'acme', deadline: Date.now() + 120_000 });
 */
export async function redrive(sqs: SQSClient, deadLetterQueueUrl: string, sourceQueueUrl: string, scope: RedriveScope): Promise<RedriveResult> {
  let moved = 0;
  const held: Message[] = [];
  try {
    for (;;) {
      if (Date.now() >= scope.deadline) return { moved, done: false };
      const messages = await receive(sqs, deadLetterQueueUrl);
      if (messages.length === 0) return { moved, done: true };
      const own = messages.filter((message) => customerOf(message) === scope.customer);
      held.push(...messages.filter((message) => customerOf(message) !== scope.customer));
      moved += await sendBack(sqs, deadLetterQueueUrl, sourceQueueUrl, own);
    }
  } finally {
    await showAgain(sqs, deadLetterQueueUrl, held);
  }
}

async function receive(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const { Messages: messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      MessageAttributeNames: ['All'],
      WaitTimeSeconds: 0,
      VisibilityTimeout: HOLD_SECONDS,
    }),
  );
  return messages;
}

/** The customer a queue message's body names (the envelope of a migration's or a rollback's message), or undefined. */
function customerOf(message: Message): string | undefined {
  try {
    const body = JSON.parse(message.Body ?? '') as { customer?: unknown };
    return typeof body.customer === 'string' ? body.customer : undefined;
  } catch {
    return undefined;
  }
}

/** Sends messages back to their queue, then deletes them from the dead-letter queue; answers how many moved. */
async function sendBack(sqs: SQSClient, deadLetterQueueUrl: string, sourceQueueUrl: string, messages: Message[]): Promise<number> {
  if (messages.length === 0) return 0;
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
  if (failed.size > 0) throw new Error(`redrive: ${failed.size} message(s) could not be sent back to ${sourceQueueUrl}; they stay in the dead-letter queue`);
  return toDelete.length;
}

/**
 * Makes the other customers' dead letters visible again, as they were: one
 * second from now, not at once, because the local emulator fails a
 * visibility of 0 on a persisted queue (docs/local-runtime.md, fauxqs).
 */
async function showAgain(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const batch = messages.slice(start, start + 10);
    const { Failed: failed = [] } = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '', VisibilityTimeout: SHOW_AGAIN_SECONDS })),
      }),
    );
    // Not fatal: a message whose visibility did not change is shown again when its hold ends.
    if (failed.length > 0)
      console.warn(
        `redrive: ${failed.length} other customer's dead letter(s) stay hidden until their hold of ${HOLD_SECONDS} s ends: ${failed.map((entry) => entry.Message).join('; ')}`,
      );
  }
}
