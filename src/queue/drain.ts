import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DRAINED_ANSWERS_TO_FINISH } from '../wait/constants.ts';
import { ProgressWait } from '../wait/progress-wait.ts';
import type { ProgressWaitState } from '../wait/types.ts';

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
  const depth = { visible, inFlight, delayed };
  return { ...depth, drained: messagesIn(depth) === 0 };
}

/** Messages in a queue: waiting, in flight and delayed. */
export function messagesIn(depth: Pick<QueueDepth, 'visible' | 'inFlight' | 'delayed'>): number {
  return depth.visible + depth.inFlight + depth.delayed;
}

/** Where a collection's drain wait stands: the wait's state plus the last depth seen. */
export interface DrainState extends ProgressWaitState {
  depth?: QueueDepth;
  /** The producers queued nothing: there is nothing of this flow's own to wait for. */
  nothingQueued?: boolean;
}

/** What one look at a draining collection reads. */
export interface DrainReadings {
  depth(): Promise<QueueDepth>;
  /** Outcomes the consumers have written for the collection in this run. */
  outcomes(): Promise<number>;
}

/** How a drain wait is bounded and paced (the run's options). */
export interface DrainWaitOptions {
  /** Shortest pause between two looks. */
  pollSeconds: number;
  /** The wait fails after this long without progress. */
  timeoutSeconds: number;
}

/**
 * One look at a draining collection. Progress is the queue's depth falling
 * below its lowest so far or the collection's outcome counter rising; the
 * wait ends after two drained answers in a row, and fails (`timedOut`) only
 * after `timeoutSeconds` without progress, however big the collection.
 */
export async function checkDrain(
  readings: DrainReadings,
  previous: ProgressWaitState,
  options: DrainWaitOptions,
  clock: () => number = Date.now,
): Promise<DrainState> {
  const [depth, completed] = await Promise.all([readings.depth(), readings.outcomes()]);
  const wait = new ProgressWait({ minWaitSeconds: options.pollSeconds, timeoutSeconds: options.timeoutSeconds, answersToFinish: DRAINED_ANSWERS_TO_FINISH }, clock);
  const next = wait.next(previous, { remaining: messagesIn(depth), completed });
  return { ...next, depth, nothingQueued: false };
}
