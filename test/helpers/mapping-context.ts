/** A mapping context for unit tests: every parent migrated unless a test says otherwise. */
import type { MappingContext, ParentOutcome } from '../../src/domain/mapping/types.ts';
import { StatusMaps } from '../../src/domain/status-map.ts';
import type { Collection } from '../../src/domain/types.ts';

export const DATABASE = 'fp_demo_north';

/** The target id a migrated parent gets in these tests: `<collection>-<legacy id>`. */
export function targetIdOf(collection: Collection, legacyId: number): string {
  return `${collection}-${legacyId}`;
}

/**
 * A context whose ledger holds every parent as migrated, except those listed
 * in `outcomes` (`'<collection>:<id>'` → outcome, or `undefined` for "not seen").
 */
export function aMappingContext(overrides: Partial<MappingContext> = {}, outcomes: Record<string, ParentOutcome | undefined> = {}): MappingContext {
  return {
    customer: 'demo',
    database: DATABASE,
    statusMaps: StatusMaps.resolve(),
    timeZone: 'Europe/Amsterdam',
    options: { migrateCompletedProjects: false },
    parent: (collection, legacyId) => {
      const key = `${collection}:${legacyId}`;
      return key in outcomes ? outcomes[key] : { state: 'migrated', targetId: targetIdOf(collection, legacyId) };
    },
    ...overrides,
  };
}
