import { lockedMessage, type LockHolder, RunLockedError } from '../../src/control/index.ts';
import type { Backend } from './backend.ts';
import type { RootCause } from './root-cause.ts';

/**
 * Refuses at once, before anything starts, a run of a customer whose lock a
 * running run holds: the one line names that run (exit 2). The lock itself
 * is taken by the workflow's configure step, where every start goes through
 * (two starts at once both pass here; configure refuses the second, see
 * {@link refusalOf}).
 * @returns the stale holder found (its execution ended), for a note, or undefined.
 */
export async function refuseIfRunning(backend: Backend, customer: string): Promise<LockHolder | undefined> {
  const found = await backend.locks.holder({ scope: 'customer', name: customer });
  if (!found) return undefined;
  if (found.running)
    throw new RunLockedError(lockedMessage({ scope: 'customer', name: customer }, { customer }, found.holder), {
      customer,
      lock: `customer ${customer}`,
      holder: found.holder,
    });
  return found.holder;
}

/** The refusal behind a failed execution whose configure step found the customer (or its tenant) held: bad input, nothing changed. */
export function refusalOf(rootCause: RootCause | undefined, customer: string): RunLockedError | undefined {
  if (rootCause?.error !== RunLockedError.name) return undefined;
  return new RunLockedError(rootCause.message, { customer, lock: 'customer or tenant' });
}
