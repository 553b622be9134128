import customerKeySchema from './customer-key.schema.json' with { type: 'json' };

/** Names of the FiberConnect collections the engine writes, in migration order (docs/fiberconnect-api.md, collections; docs/report.md). */
export const COLLECTIONS = ['projects', 'contractors', 'connections', 'work-orders', 'work-order-updates', 'documents', 'planboard-slots'] as const;

/** Failure and skip codes of the run report (docs/report.md, failure and skip codes). */
export const FAILURE_CODES = [
  'unmapped_status',
  'invalid_value',
  'orphan',
  'parent_failed',
  'duplicate',
  'checksum_mismatch',
  'too_large',
  'rejected_by_target',
  'transient_exhausted',
  'completed_project',
  'target_changed',
] as const;

/** The only code that counts as a skip rather than a failure. */
export const SKIP_CODES = ['completed_project'] as const;

/** The target refuses documents over 25 MiB (413). */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

/** Time zone of legacy DATETIMEs when a customer profile names none. */
export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

/** Legacy tables that may carry a `settings.status_map.<table>` override. */
export const STATUS_MAP_TABLES = ['projects', 'addresses', 'assignments'] as const;

/**
 * A customer key's JSON Schema, the one definition of what a customer key
 * (and a profile name) may be: JSON Schemas refer to it by its `$id`
 * (their validator adds it), code tests with {@link CUSTOMER_KEY}.
 */
export const CUSTOMER_KEY_SCHEMA = customerKeySchema;

/** A customer key: safe as a file name, a parameter name and a key part. */
export const CUSTOMER_KEY = new RegExp(customerKeySchema.pattern);
