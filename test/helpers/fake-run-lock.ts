/** The run locks in memory, with RunLock's rules (test/integration/ledger/run-lock.test.ts proves the real one on dynalite). */
import { RunLockedError } from '../../src/control/errors.ts';
import { lockedMessage } from '../../src/control/run-lock.ts';
import type { LockHolder, LockKey, RunLocks } from '../../src/control/types.ts';

export class InMemoryRunLock implements RunLocks {
  /** The locks held, by `<scope> <name>`. */
  public readonly held = new Map<string, LockHolder>();
  /** Executions that still run: a lock whose holder's execution is not here is stale. */
  public readonly running = new Set<string>();

  public async acquire(keys: readonly LockKey[], holder: LockHolder): Promise<LockHolder[]> {
    const stale: LockHolder[] = [];
    for (const key of keys) {
      const current = this.held.get(name(key));
      if (current && current.runId !== holder.runId && this.running.has(current.executionArn)) {
        for (const taken of keys) if (this.held.get(name(taken))?.runId === holder.runId) this.held.delete(name(taken));
        throw new RunLockedError(lockedMessage(key, holder, current), { customer: holder.customer, lock: name(key), holder: current });
      }
      if (current && current.runId !== holder.runId) stale.push(current);
      this.held.set(name(key), holder);
    }
    return stale;
  }

  public async release(keys: readonly LockKey[], runId: string): Promise<void> {
    for (const key of keys) if (this.held.get(name(key))?.runId === runId) this.held.delete(name(key));
  }
}

function name(key: LockKey): string {
  return `${key.scope} ${key.name}`;
}
