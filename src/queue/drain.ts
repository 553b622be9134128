import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** How full a queue is: what the workflow polls before dependent collections start. */
export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
  /** True when nothing is waiting, in flight or delayed. */
  drained: boolean;
}

/**
 * Reads a queue's approximate counts. SQS counts are approximate, so the
 * workflow asks for two drained answers in a row before it moves on.
 */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  const visible = Number(attributes.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  return { visible, inFlight, delayed, drained: visible + inFlight + delayed === 0 };
}
