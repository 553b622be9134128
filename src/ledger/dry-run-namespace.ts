import { SECONDS_PER_DAY } from './constants.ts';

/**
 * A dry run's namespace in the ledger: the same table and rules as the real
 * entries, under partitions of its own (`dry#<runId>#...`, built by keys.ts
 * from {@link DryRunNamespace.runId}), so the real entries are never
 * written. Every item it writes expires `retentionDays` after the write
 * (DynamoDB TTL on `expiresAt`); without retention days they are kept.
 *
 * @example
 * const namespace = new DryRunNamespace('dry-1', 30);
 * await db.send(new PutCommand({ TableName, Item: { ...item, ...namespace.expiry() } }));
 */
export class DryRunNamespace {
  public constructor(
    public readonly runId: string,
    private readonly retentionDays?: number,
  ) {}

  /** What each write of the namespace adds: `expiresAt` (epoch seconds), `retentionDays` from `now`. */
  public expiry(now = Date.now()): { expiresAt?: number } {
    if (this.retentionDays === undefined) return {};
    return { expiresAt: Math.floor(now / 1000) + this.retentionDays * SECONDS_PER_DAY };
  }
}
