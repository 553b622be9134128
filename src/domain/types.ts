import type { COLLECTIONS, FAILURE_CODES, STATUS_MAP_TABLES } from './constants.ts';

/** A FiberConnect collection name, or `work-order-updates` for the PATCH pass. */
export type Collection = (typeof COLLECTIONS)[number];

/** A failure or skip code of the run report. */
export type FailureCode = (typeof FAILURE_CODES)[number];

/** A legacy table whose statuses can be remapped per sub-project. */
export type StatusMapTable = (typeof STATUS_MAP_TABLES)[number];

/** Why one record was not migrated: what the report lists. */
export interface RecordFailure {
  code: FailureCode;
  message: string;
  /** The target's field name, dotted for nested fields (`address.postcode`). */
  field?: string;
  /** The offending value as text, cut short (the fix list shows it to the people who fix FiberPlan). */
  value?: string;
}

/** The outcome of mapping one legacy row: a target body, or the reason there is none. */
export type MappingResult<TBody> = { ok: true; body: TBody } | { ok: false; failure: RecordFailure };
