import { MAX_QUEUE_BACKLOG } from '../profile/index.ts';
import { ProgressWait, type ProgressWaitState } from '../wait/index.ts';
import { QueueBacklogStalledError } from './errors.ts';

/**
 * A held producer goes on once its queue is down to half its backlog
 * (this, at the default): it then queues a long stretch before it holds
 * again, so holds stay few (and the history small) whatever the collection's size.
 */
export const RESUME_QUEUE_BACKLOG = MAX_QUEUE_BACKLOG / 2;

/** How a hold is paced and bounded: the run's drain wait options. */
export interface HoldOptions {
  /** Shortest pause between two looks at the queue. */
  pollSeconds: number;
  /** The hold fails after this long without the queue falling or an outcome written. */
  timeoutSeconds: number;
  /** Messages from which producers hold (the run's `queueBacklog`); {@link MAX_QUEUE_BACKLOG} when absent. */
  backlog?: number;
  /** Records per message (the run's `recordsPerMessage`): the queue falls by the outcomes written over this, however fast other producers fill it. */
  recordsPerMessage?: number;
}

/** Whether a queue this deep holds a producer back: from `backlog` ({@link MAX_QUEUE_BACKLOG} by default), and once holding (`previous` set) until it is down to half of it ({@link RESUME_QUEUE_BACKLOG} by default). */
export function mayHold(depth: number, previous: ProgressWaitState | undefined, backlog: number = MAX_QUEUE_BACKLOG): boolean {
  return previous ? depth > backlog / 2 : depth >= backlog;
}

/**
 * Decides, before a producer reads its next page, whether it holds back.
 * It holds when the queue is at `options.backlog` messages or deeper, and
 * once holding (`previous` set) until the queue is down to half of it.
 * Nothing is read while it holds, so its cursor stays exact. Progress is the
 * queue falling below its lowest in the hold or the collection's outcome
 * counter rising (other producers, e.g. of other sub-projects, may keep the
 * queue from falling while the consumers work).
 * The pause before the next look is half the time the queue
 * should still need to fall to the resume level at the rate it fell since
 * the hold began, or at the rate outcomes were written (over
 * `recordsPerMessage`) when that is faster (at most a day, at least
 * `pollSeconds`), so a hold of days looks a few dozen times; until a rate
 * is measured, the looks are spaced as a drain wait's. The outcomes' rate
 * matters when several producers share the queue: its net fall is then far
 * slower than the consumers' pace, and at SCALE=200 pauses paced by the
 * fall alone left every consumer idle for up to 7 minutes.
 * @param queue the queue's depth in messages and the collection's outcome counter.
 * @returns undefined to go on producing, else the hold's state for the next look.
 * @throws QueueBacklogStalledError when neither moved for `timeoutSeconds`.
 */
export function holdBack(
  queue: { depth: number; completed: number },
  previous: ProgressWaitState | undefined,
  options: HoldOptions,
  clock: () => number = Date.now,
): ProgressWaitState | undefined {
  const { depth, completed } = queue;
  const backlog = options.backlog ?? MAX_QUEUE_BACKLOG;
  if (!mayHold(depth, previous, backlog)) return undefined;
  const pacing = options.recordsPerMessage ? { completedPerRemaining: options.recordsPerMessage } : {};
  const wait = new ProgressWait(
    { minWaitSeconds: options.pollSeconds, timeoutSeconds: options.timeoutSeconds, answersToFinish: 1, boundByElapsed: false, ...pacing },
    clock,
  );
  const next = wait.next(previous ?? { looks: 0, waitSeconds: 0, finished: false, timedOut: false }, { remaining: depth - backlog / 2, completed });
  if (next.timedOut)
    throw new QueueBacklogStalledError(
      `the queue held ${depth} messages and neither fell nor saw an outcome for ${options.timeoutSeconds} s while the producer held back`,
      { depth, timeoutSeconds: options.timeoutSeconds },
    );
  return next;
}
