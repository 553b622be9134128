import type { RateLimitSettings } from './types.ts';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Token buckets, one per customer: `rate` tokens per second refill a bucket of
 * `burst`; a request takes one token. A rate of 0 switches the limit off.
 */
export class RateLimiter {
  private settings: RateLimitSettings;
  private readonly buckets = new Map<string, Bucket>();

  public constructor(settings: RateLimitSettings) {
    this.settings = { ...settings };
  }

  /** The current rate and burst. */
  public get current(): RateLimitSettings {
    return { ...this.settings };
  }

  /** Changes rate and burst; every bucket starts full again. */
  public update(settings: RateLimitSettings): void {
    this.settings = { ...settings };
    this.buckets.clear();
  }

  /**
   * Takes a token for `key`.
   * @returns 0 when the request may pass, else the whole seconds (≥ 1) until a token is available.
   */
  public take(key: string, now: number = performance.now()): number {
    const { rate, burst } = this.settings;
    if (rate <= 0) return 0;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: burst, refilledAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * rate);
    bucket.refilledAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  }
}
