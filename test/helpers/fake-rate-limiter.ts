/** A rate limiter that never waits: every slot is now. It counts what was asked of it. */
import type { RatePacer } from '../../src/pipeline/types.ts';

export class FakeRateLimiter implements RatePacer {
  public acquired = 0;
  public readonly pauses: number[] = [];

  public async acquire(count = 1): Promise<number[]> {
    this.acquired += count;
    const now = Date.now();
    return Array.from({ length: count }, () => now);
  }

  public async waitFor(): Promise<boolean> {
    return true;
  }

  public async pause(seconds: number): Promise<void> {
    this.pauses.push(seconds);
  }
}
