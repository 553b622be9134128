import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WakeUpLag } from './wake-up-lag.ts';

/**
 * A slot this far in the past is still used (sent at once) instead of
 * claiming a new one: tolerating a loaded round trip saves a second write
 * per claim (5 ms did not; 40 ms cost a whole slot at 50 requests/s).
 */
const LATE_TOLERANCE_MS = 15;

/** Lateness of a wake-up that an idle claim absorbs with empty slots after the caller's own (a busy host wakes up tens of ms late). */
export const IDLE_SPARE_MS = 100;

/**
 * How unevenly requests sent on time may still reach the target (event-loop
 * lag, a garbage collection, the connection). On a 2-core host running six
 * test files at once the stand-in counted 21 requests in one second at 20/s
 * with 15 ms, and again, more seldom, with 45 (a spread of over 60 ms).
 */
const ARRIVAL_JITTER_MS = 65;

/**
 * The share of the rate the limiter hands out. A request late by up to the
 * tolerance, reaching the target up to the jitter later than its neighbours,
 * shortens the gap between two requests by at most their sum: any one
 * second then sees the slots of at most (1000 + 15 + 65) ms, which at
 * 1000 / 1080 of the rate is below the rate. 92.6% of the rate is used.
 */
export const DEFAULT_SAFETY = 1000 / (1000 + LATE_TOLERANCE_MS + ARRIVAL_JITTER_MS);

/** The longest pause one Retry-After can put on a customer's shared limiter. */
export const MAX_PAUSE_SECONDS = 60;

/** A Retry-After as the shared limiter takes it: 0 for nothing sensible (negative, not a number), at most {@link MAX_PAUSE_SECONDS}. */
export function boundedPauseSeconds(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, MAX_PAUSE_SECONDS) : 0;
}

/**
 * One customer's target request rate, held across every consumer instance at
 * once. Hand-written because no npm limiter shares its state through
 * DynamoDB (bottleneck needs Redis and is stale; Lambda instances share nothing else).
 *
 * Time is cut into slots `1000 / rate` ms apart, counted from the Unix epoch.
 * A caller takes the next free slots with one atomic ADD on a shared counter
 * and sends each request at its slot's time, so requests leave evenly spaced,
 * never in bursts, whatever the number of instances. When the counter lags
 * behind the clock (the limiter was idle), the caller claims slots from now
 * on with a conditional SET, so idle time is never spent as a burst. A 429's
 * Retry-After pushes the counter forward, pausing every instance at once.
 * On a busy host, whose waits wake up later than the share absorbs, the
 * caller claims spare slots beside its own ({@link WakeUpLag}).
 *
 * @example
 * const limiter = new SharedRateLimiter(db, env.rateLimitTable, 'acme#target', 20);
 * await limiter.acquire(); // resolves at the request's slot: send it now
 * await limiter.pause(answer.retryAfterSeconds ?? 1); // a 429: every instance of the customer waits
 */
export class SharedRateLimiter {
  private readonly slotMs: number;
  private readonly key: Record<string, string>;
  /** A request up to the tolerance late is sent: the share absorbs that much; later wake-ups call for spare slots. */
  private readonly lag = new WakeUpLag(LATE_TOLERANCE_MS);

  /**
   * @param ratePerSecond requests per second for this customer (the counter is keyed by it, so a changed rate starts a fresh counter)
   * @param safety share of the rate actually used: the headroom absorbs scheduling and network jitter, so no second at the target sees more than the rate
   */
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    customer: string,
    public readonly ratePerSecond: number,
    safety = DEFAULT_SAFETY,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.slotMs = 1000 / (ratePerSecond * safety);
    this.key = { pk: `${customer}#${ratePerSecond}` };
  }

  /** Waits until the caller may send `count` requests; resolves with their send times (ms since epoch), one per request. */
  public async acquire(count = 1): Promise<number[]> {
    for (;;) {
      // The spare slots come after the caller's own: no one sends at them.
      const claimed = count + this.lag.spareSlots(count);
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key,
          UpdateExpression: 'ADD nextSlot :count',
          ExpressionAttributeValues: { ':count': claimed },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const first = Number(Attributes?.nextSlot ?? claimed) - claimed;
      const now = Date.now();
      if (first * this.slotMs < now - LATE_TOLERANCE_MS) {
        const times = await this.claimIdle(now, count, claimed);
        if (times) return times;
        continue;
      }
      // A caller held up past its slot (a busy thread) asks again: sent late, it would bunch with the next ones.
      if (await this.waitFor(first * this.slotMs)) return this.timesFrom(first, count);
    }
  }

  /** The send times of `count` slots from slot number `first`. */
  private timesFrom(first: number, count: number): number[] {
    return Array.from({ length: count }, (_, i) => (first + i) * this.slotMs);
  }

  /**
   * The counter lags the clock (an idle limiter, or callers slower than the
   * rate): claims slots from now on in one conditional write, rather than
   * moving the counter and asking again (at high rates "now" would be gone by
   * then). They start one tolerance ahead, so a write that returns within it
   * leaves them on time; the first is waited for like any other (up to one
   * slot ahead), or the request would leave early and bunch with the one
   * before. Slots worth {@link IDLE_SPARE_MS} stay empty after the caller's
   * own, which costs nothing the counter was not already behind on: a wait
   * that wakes up that late shifts the caller's times by its lateness and is
   * still sent, where claiming again would lag again on a host that busy.
   * Undefined when another caller claimed first, or the wake-up was later still.
   */
  private async claimIdle(now: number, count: number, claimed: number): Promise<number[] | undefined> {
    const from = Math.ceil((now + LATE_TOLERANCE_MS) / this.slotMs);
    if (!(await this.claimFrom(from, claimed + Math.ceil(IDLE_SPARE_MS / this.slotMs)))) return undefined;
    const lateness = await this.sleepUntil(from * this.slotMs);
    if (lateness > LATE_TOLERANCE_MS + IDLE_SPARE_MS) return undefined;
    return this.timesFrom(from, count).map((time) => time + Math.max(0, lateness));
  }

  /**
   * Sleeps until a slot's time; false when the caller got there too late to
   * use it (more than a few ms after it), and must acquire a new slot instead.
   */
  public async waitFor(slotTime: number): Promise<boolean> {
    return (await this.sleepUntil(slotTime)) <= LATE_TOLERANCE_MS;
  }

  /** Sleeps until a slot's time and returns how late it woke up (ms; noted for the spare slots). */
  private async sleepUntil(slotTime: number): Promise<number> {
    const wait = slotTime - Date.now();
    if (wait > 0) await sleep(wait);
    const lateness = Date.now() - slotTime;
    this.lag.note(lateness);
    return lateness;
  }

  /**
   * Pauses every instance until `seconds` from now (the target's Retry-After),
   * at most {@link MAX_PAUSE_SECONDS}: one answer's header must not stall a
   * customer's every consumer for an hour; if the target still wants a
   * pause then, its next 429 says so again.
   */
  public async pause(seconds: number): Promise<void> {
    const bounded = boundedPauseSeconds(seconds);
    if (bounded > 0) await this.claimFrom(Math.ceil((Date.now() + bounded * 1000) / this.slotMs), 0);
  }

  /** Moves the counter to `from + count` unless it is already at `from` or beyond; true when this call moved it. */
  private async claimFrom(from: number, count: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key,
          UpdateExpression: 'SET nextSlot = :end',
          ConditionExpression: 'attribute_not_exists(nextSlot) OR nextSlot < :from',
          ExpressionAttributeValues: { ':from': from, ':end': from + count },
        }),
      );
      return true;
    } catch (error) {
      // Another instance moved it at least as far.
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
