/** Factories of a rollback's outcome items, as the removal ledger holds them. */
import type { RemovalOutcomeEntry } from '../../src/rollback/types.ts';

/** The outcome of one DELETE of a record of `fp_acme_north`; its target id is `t-<externalRef>`. */
export function aRemovalOutcome(externalRef: string, result: RemovalOutcomeEntry['result'], extra: Partial<RemovalOutcomeEntry> = {}): RemovalOutcomeEntry {
  return { externalRef, targetId: `t-${externalRef}`, result, database: 'fp_acme_north', updatedAt: '', ...extra };
}
