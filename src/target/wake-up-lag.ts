/** How quickly a late wake-up is forgotten: the lag it set halves every this many ms. */
export const LAG_HALF_LIFE_MS = 5_000;

/**
 * How late this instance's waits for its rate slots have woken up of late,
 * and the spare slots that lateness calls for.
 *
 * The limiter's share of the rate absorbs a fixed amount of jitter between
 * requests. On a host with more runnable threads than cores a wait wakes up
 * tens of ms late, and a request sent that late, or delayed as much again on
 * its way, meets its on-time successors: a one-second window then holds one
 * request too many. A wake-up later than the fixed budget says the host is
 * that busy; the limiter then claims a spare slot now and then beside its
 * own, which no one uses, so the requests of any second have room to bunch.
 */
export class WakeUpLag {
  private lagMs = 0;
  private notedAt = 0;
  private owedSlots = 0;

  /**
   * @param budgetMs lateness the limiter's share already absorbs: later wake-ups call for spare slots
   */
  public constructor(private readonly budgetMs: number) {}

  /** Notes how many ms after its slot's time a wait woke up (negative: early). */
  public note(latenessMs: number, now = Date.now()): void {
    if (latenessMs > this.current(now)) {
      this.lagMs = latenessMs;
      this.notedAt = now;
    }
  }

  /** The recent lateness: the latest wake-up of late, decayed with {@link LAG_HALF_LIFE_MS}. */
  public current(now = Date.now()): number {
    return this.lagMs * 0.5 ** ((now - this.notedAt) / LAG_HALF_LIFE_MS);
  }

  /**
   * Spare slots to claim with `count` slots of requests. Requests late by
   * `excess` ms beyond the budget need `excess` ms of empty slots in every
   * second: `excess / 1000` of a slot per request, owed until it adds up to
   * a whole slot.
   */
  public spareSlots(count: number, now = Date.now()): number {
    const excess = this.current(now) - this.budgetMs;
    if (excess <= 0) return 0;
    this.owedSlots += (count * excess) / 1000;
    const spare = Math.floor(this.owedSlots);
    this.owedSlots -= spare;
    return spare;
  }
}
