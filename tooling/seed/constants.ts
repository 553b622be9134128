/** Defaults of the seed's inputs (env CUSTOMER, SEED, SCALE, DIRT). */
export const SEED_DEFAULTS = { customer: 'demo', seed: 1, scale: 1, dirt: 0.05 } as const;

/** The sub-projects every seeded customer gets: `fp_<customer>_<label>`. */
export const SUBPROJECT_LAYOUT = [
  { label: 'north', active: true, share: 1 },
  { label: 'south', active: true, share: 1 },
  // Inactive and never migrated: smaller, it only has to exist.
  { label: 'archive', active: false, share: 0.5 },
] as const;

/** Customer keys the seed accepts: they become part of database names (64 characters at most). */
export const CUSTOMER_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** Highest SCALE accepted: about 5,500 rows per unit, so a few million rows at most. */
export const MAX_SCALE = 1000;

/** Size of the one document planted over the target's limit (25 MiB + 1 byte). */
export const OVERSIZED_DOCUMENT_BYTES = 26_214_401;

/** Every defect class of docs/legacy-schema.md (the dirty data to expect) that the seed plants when DIRT > 0. */
export const DEFECT_CLASSES = [
  'status-case-spaces',
  'unmapped-project-status',
  'unmapped-address-status',
  'unmapped-address-kind',
  'unmapped-assignment-type',
  'unmapped-assignment-status',
  'settings-status-map',
  'zero-date',
  'postcode-needs-normalising',
  'invalid-postcode',
  'house-number-zero',
  'lat-lon-swapped',
  'coordinates-outside-nl',
  'orphan-address',
  'orphan-assignment',
  'orphan-document',
  'orphan-slot',
  'orphan-contractor-reference',
  'duplicate-address',
  'kvk-with-spaces',
  'kvk-wrong-length',
  'invalid-email',
  'remarks-too-long',
  'unicode-text',
  'document-sha256-mismatch',
  'document-size-mismatch',
  'document-empty',
  'document-too-large',
  'slot-ends-before-start',
  'slot-start-in-dst-gap',
  'completed-at-in-dst-gap',
  'ambiguous-autumn-time',
  'completed-project',
  'planned-without-contractor',
  'done-without-completed-at',
  'parent-failed-cascade',
  'completed-project-cascade',
] as const;
