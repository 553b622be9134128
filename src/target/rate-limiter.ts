import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One customer's target request rate, held across every consumer instance at
 * once. Hand-written because no npm limiter shares its state through
 * DynamoDB (bottleneck needs Redis and is stale; Lambda instances share nothing else).
 *
 * Time is cut into slots `1000 / rate` ms apart, counted from the Unix epoch.
 * A caller takes the next free slots with one atomic ADD on a shared counter
 * and sends each request at its slot's time, so requests leave evenly spaced,
 * never in bursts, whatever the number of instances. When the counter lags
 * behind the clock (the limiter was idle), a conditional SET moves it to now
 * before slots are taken, so idle time is never spent as a burst. A 429's
 * Retry-After pushes the counter forward, pausing every instance at once.
 */
export class SharedRateLimiter {
  private readonly slotMs: number;
  private readonly key: Record<string, string>;

  /**
   * @param ratePerSecond requests per second for this customer (the counter is keyed by it, so a changed rate starts a fresh counter)
   * @param safety share of the rate actually used, to absorb network jitter so the target never sees a burst over the rate
   */
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    customer: string,
    public readonly ratePerSecond: number,
    safety = 0.98,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.slotMs = 1000 / (ratePerSecond * safety);
    this.key = { pk: `${customer}#${ratePerSecond}` };
  }

  /** Waits until the caller may send `count` requests; resolves with their send times (ms since epoch), one per request. */
  public async acquire(count = 1): Promise<number[]> {
    for (;;) {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key,
          UpdateExpression: 'ADD nextSlot :count',
          ExpressionAttributeValues: { ':count': count },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const end = Number(Attributes?.nextSlot ?? count);
      const first = end - count;
      const now = Date.now();
      if (first * this.slotMs < now) {
        await this.moveTo(Math.ceil(now / this.slotMs));
        continue;
      }
      const times = Array.from({ length: count }, (_, i) => (first + i) * this.slotMs);
      const wait = (times[0] ?? now) - now;
      if (wait > 0) await sleep(wait);
      return times;
    }
  }

  /** Sends each of `count` requests at its own slot time and resolves with all their results. */
  public async schedule<T>(count: number, send: (index: number) => Promise<T>): Promise<T[]> {
    const times = await this.acquire(count);
    return Promise.all(
      times.map(async (time, index) => {
        const wait = time - Date.now();
        if (wait > 0) await sleep(wait);
        return send(index);
      }),
    );
  }

  /** Pauses every instance until `seconds` from now (the target's Retry-After). */
  public async pause(seconds: number): Promise<void> {
    await this.moveTo(Math.ceil((Date.now() + seconds * 1000) / this.slotMs));
  }

  private async moveTo(slot: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key,
          UpdateExpression: 'SET nextSlot = :slot',
          ConditionExpression: 'attribute_not_exists(nextSlot) OR nextSlot < :slot',
          ExpressionAttributeValues: { ':slot': slot },
        }),
      );
    } catch (error) {
      // Another instance moved it at least as far: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
