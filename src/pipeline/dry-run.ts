import type { Collection } from '../domain/index.ts';

/** Prefix of the placeholder target ids a dry run maps children with: never sent, never a real id. */
export const DRY_RUN_TARGET_ID_PREFIX = 'dry-run:';

/** The placeholder target id of a record a dry run would migrate. */
export function dryRunTargetId(externalRef: string): string {
  return `${DRY_RUN_TARGET_ID_PREFIX}${externalRef}`;
}

/**
 * The identity the target's `duplicate_address` rule compares, for a body a
 * dry run would send; undefined for collections the target has no such rule
 * for. The same as the target compares: the project and the address's
 * postcode, house number, letter and addition exactly as sent (the mapping
 * has normalised them already).
 */
export function duplicateIdentity(collection: Collection, body: unknown): string | undefined {
  if (collection !== 'connections') return undefined;
  const { projectId, address } = body as {
    projectId: string;
    address: { postcode?: string; houseNumber?: number; houseLetter?: string; houseAddition?: string };
  };
  return JSON.stringify([projectId, address.postcode, address.houseNumber, address.houseLetter ?? null, address.houseAddition ?? null]);
}
