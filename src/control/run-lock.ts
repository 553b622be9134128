import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RunLockedError } from './errors.ts';
import type { LockHolder, LockKey } from './types.ts';

/** Sort keys of the lock items, beside a customer's runs (`pk` is the customer, or the tenant). */
const LOCK_SORT_KEYS: Readonly<Record<LockKey['scope'], string>> = { customer: 'lock', tenant: 'tenant-lock' };

/** Tries of one lock when holders come and go under it (a release or a takeover between the write and the read). */
const TAKE_TRIES = 3;

/** Whether a Step Functions execution is still RUNNING (an execution that does not exist is not). */
export type ExecutionProbe = (executionArn: string) => Promise<boolean>;

/**
 * One run per customer, and one run per FiberConnect tenant switching its
 * workflows and e-mail: locks in the run table, taken with conditional
 * writes (no transactions: the local emulator has none) and released by
 * the run that holds them. A lock whose holder's execution is no longer
 * RUNNING (it failed, was stopped, or its local runtime is gone) is stale:
 * the next start takes it over, so a crash never blocks a customer for good.
 * Every kind of run goes through the same locks (a plan's runs too), so a
 * person's start and a plan's start of one customer exclude each other.
 *
 * @example
 * const locks = new RunLock(db, 'runs', (arn) => executionRunning(sfn, arn));
 * await locks.acquire([{ scope: 'customer', name: 'acme' }], holder); // throws RunLockedError when acme's run goes on
 * await locks.release([{ scope: 'customer', name: 'acme' }], holder.runId);
 */
export class RunLock {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly isRunning: ExecutionProbe,
  ) {}

  /**
   * Takes every lock of `keys` for `holder`, in order (the run that holds
   * one already keeps it: a retried step). On a refusal it gives back what
   * it took and throws {@link RunLockedError} naming the running run.
   * @returns the stale holders it took over, for the log.
   */
  public async acquire(keys: readonly LockKey[], holder: LockHolder): Promise<LockHolder[]> {
    const taken: LockKey[] = [];
    const staleHolders: LockHolder[] = [];
    try {
      for (const key of keys) {
        const stale = await this.take(key, holder);
        if (stale) staleHolders.push(stale);
        taken.push(key);
      }
    } catch (error) {
      await this.release(taken, holder.runId);
      throw error;
    }
    return staleHolders;
  }

  /** Gives back the locks of `keys` that `runId` holds; a lock another run holds (it took over) is left alone. */
  public async release(keys: readonly LockKey[], runId: string): Promise<void> {
    for (const key of keys) {
      try {
        await this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: itemKey(key),
            ConditionExpression: 'runId = :runId',
            ExpressionAttributeValues: { ':runId': runId },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  }

  /** The run holding the lock, if any, and whether its execution still runs (false: the lock is stale). */
  public async holder(key: LockKey): Promise<{ holder: LockHolder; running: boolean } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKey(key), ConsistentRead: true }));
    if (!Item) return undefined;
    const holder = holderOf(Item);
    return { holder, running: await this.isRunning(holder.executionArn) };
  }

  /** Takes one lock: free, already ours, or stale (then taken over, and its holder returned). */
  private async take(key: LockKey, holder: LockHolder): Promise<LockHolder | undefined> {
    let current: LockHolder | undefined;
    for (let attempt = 0; attempt < TAKE_TRIES; attempt += 1) {
      if (await this.putIf(key, holder, 'attribute_not_exists(pk) OR runId = :runId', { ':runId': holder.runId })) return undefined;
      const found = await this.holder(key);
      if (!found) continue;
      current = found.holder;
      if (found.running) break;
      // Only one taker wins a stale lock: the write names the holder it replaces.
      if (await this.putIf(key, holder, 'runId = :stale', { ':stale': current.runId })) return current;
    }
    throw new RunLockedError(lockedMessage(key, holder, current), {
      customer: holder.customer,
      lock: `${key.scope} ${key.name}`,
      ...(current ? { holder: current } : {}),
    });
  }

  /** Writes the lock item when `condition` holds; false when it does not. */
  private async putIf(key: LockKey, holder: LockHolder, condition: string, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...itemKey(key), ...holder }, ConditionExpression: condition, ExpressionAttributeValues: values }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

function itemKey(key: LockKey): { pk: string; sk: string } {
  return { pk: key.name, sk: LOCK_SORT_KEYS[key.scope] };
}

function holderOf(item: Record<string, unknown>): LockHolder {
  const { pk: _pk, sk: _sk, ...holder } = item;
  return holder as unknown as LockHolder;
}

/** What a run is doing, for a person. */
const DOING: Readonly<Record<LockHolder['kind'], string>> = {
  migration: 'migration',
  'dry-run': 'dry run',
  rollback: 'rollback',
  redrive: 'redrive',
  plan: 'migration',
};

/** The run holding a lock in a few words: `run X (migration of acme, started T)`. */
export function describeHolder(holder: LockHolder): string {
  const by = holder.plan ? `, started by plan ${holder.plan}` : '';
  return `run ${holder.runId} (${DOING[holder.kind]} of ${holder.customer}${by}, started ${holder.startedAt})`;
}

/** The one line a refused start gets: who holds the lock, and what to do about it. */
export function lockedMessage(key: LockKey, requester: Pick<LockHolder, 'customer'>, holder: LockHolder | undefined): string {
  const running = holder ? describeHolder(holder) : 'another run';
  const stop = holder ? `make stop CUSTOMER=${holder.customer}` : `make stop CUSTOMER=${requester.customer}`;
  const whose =
    key.scope === 'tenant' && holder && holder.customer !== requester.customer
      ? `customer ${requester.customer} shares FiberConnect tenant ${key.name} with customer ${holder.customer}, and ${running} is still going`
      : `customer ${requester.customer}: ${running} is still going`;
  return `${whose}; a second run is refused, nothing was changed: wait for it to end, or stop it with ${stop}`;
}
