import { setTimeout as sleep } from 'node:timers/promises';

/** Longest pause between two tries of one call to FiberConnect (ms), unless its Retry-After asks for longer. */
export const MAX_BACKOFF_MS = 2_000;

/** First pause between two tries of one call (ms), doubled each try. */
export const DEFAULT_RETRY_DELAY_MS = 200;

/** An answer that may succeed when tried again: 429, 5xx, a timeout, a dropped connection. */
export interface TransientAnswer {
  status: 'transient';
  message: string;
  /** The target's Retry-After (seconds): no try before it. */
  retryAfterSeconds?: number;
  /** A 429: the customer as a whole is too fast, so every instance pauses, not only this call. */
  pauseEveryone?: boolean;
}

/** How one call is tried again. */
export interface RetryPolicy {
  /** Tries of the call, the first one included (at least one is made). */
  maxAttempts: number;
  /** When the delivery's time is up (ms since epoch): no try starts at or after it, and no pause would end after it. */
  deadline: number;
  /** First pause (ms); default {@link DEFAULT_RETRY_DELAY_MS}. */
  retryDelayMs?: number;
}

/** What is returned when the deadline came before the first try. */
const NOT_TRIED: TransientAnswer = { status: 'transient', message: 'not tried: the delivery ran out of time' };

/**
 * The pause after try `attempt` (1-based): capped exponential backoff with
 * jitter (half to all of the step, so instances that failed together do not
 * come back together), or the target's Retry-After when that is longer.
 */
export function pauseAfter(attempt: number, retryDelayMs: number, retryAfterSeconds?: number): number {
  const backoff = Math.min(MAX_BACKOFF_MS, retryDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
  return Math.max(backoff, (retryAfterSeconds ?? 0) * 1000);
}

/**
 * Tries one call until its answer is not transient, the tries are used up,
 * or the next try could not end before the deadline; returns the last answer.
 * The engine's one retry loop for FiberConnect calls (consumer, remover,
 * missing-remover). A pause that would end past the deadline is not slept:
 * the Lambda would time out mid-sleep, so the record goes back with its
 * message instead.
 *
 * @param attempt makes try `n` (1-based); `undefined` when it could not
 *   start in time (the last answer is returned)
 * @param onTransient called after each transient answer, before the pause
 *   (a 429's pause of every instance)
 *
 * @example
 * ```ts
 * const answer = await withRetries({ maxAttempts: 3, deadline }, async () => classifyRemoval(await client.send(request)));
 * if (answer.status === 'transient') queueAgain(record);
 * ```
 */
export async function withRetries<T extends { status: string }>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T | TransientAnswer | undefined>,
  onTransient?: (answer: TransientAnswer) => Promise<void>,
): Promise<T | TransientAnswer> {
  let last: T | TransientAnswer = NOT_TRIED;
  for (let n = 1; n <= Math.max(1, policy.maxAttempts); n += 1) {
    if (Date.now() >= policy.deadline) return last;
    const answer = await attempt(n);
    if (answer === undefined) return last;
    last = answer;
    if (!isTransient(answer)) return answer;
    await onTransient?.(answer);
    const wait = pauseAfter(n, policy.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS, answer.retryAfterSeconds);
    if (Date.now() + wait >= policy.deadline || n >= policy.maxAttempts) return last;
    await sleep(wait);
  }
  return last;
}

function isTransient(answer: { status: string }): answer is TransientAnswer {
  return answer.status === 'transient';
}
