import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DRAINED_ANSWERS_TO_FINISH, ProgressWait, type ProgressWaitState } from '../wait/index.ts';

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
  /** Outcomes the consumers have written for the collection in this run (`all`), and for the flow's own sub-project when it is known (`subproject`). */
  outcomes(): Promise<{ all: number; subproject?: number }>;
  /** Records this flow's producers queued, when they said (what `subproject` reaches when the flow's work is done). */
  queued?: number;
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
 *
 * One drained answer is enough when the sub-project's own outcome counter
 * (exact, read consistently) has reached what its producers queued: the
 * second answer only guards against SQS's approximate counts, and the counter
 * already says every record has its outcome. The counter alone never ends
 * the wait (the queue is shared with other sub-projects, and a retried
 * producer may report fewer records than it queued): the queue must agree.
 */
export async function checkDrain(
  readings: DrainReadings,
  previous: ProgressWaitState,
  options: DrainWaitOptions,
  clock: () => number = Date.now,
): Promise<DrainState> {
  const [depth, outcomes] = await Promise.all([readings.depth(), readings.outcomes()]);
  const counted = readings.queued !== undefined && outcomes.subproject !== undefined && outcomes.subproject >= readings.queued;
  const wait = new ProgressWait(
    { minWaitSeconds: options.pollSeconds, timeoutSeconds: options.timeoutSeconds, answersToFinish: counted ? 1 : DRAINED_ANSWERS_TO_FINISH },
    clock,
  );
  const next = wait.next(previous, { remaining: messagesIn(depth), completed: outcomes.all });
  return { ...next, depth, nothingQueued: false };
}
