/**
 * What the data is, without I/O: collection names, failure and skip codes, legacy rows and tables,
 * status maps, FiberConnect's body schemas and their validation, the engine's error base.
 * Its subfolders collections/ and mapping/ have faces of their own.
 *
 * @packageDocumentation
 */
export { COLLECTIONS, CUSTOMER_KEY, CUSTOMER_KEY_SCHEMA, DEFAULT_TIME_ZONE, MAX_DOCUMENT_BYTES, SKIP_CODES } from './constants.ts';
export { InvalidInputError, MigrationError, ProfileError } from './errors.ts';
export type { AddressRow, AssignmentRow, ContractorRow, DocumentRow, LegacyTable, PlanboardSlotRow, ProjectRow } from './legacy-rows.ts';
export { SUBPROJECT_TABLES, TABLE_COLUMNS } from './legacy-tables.ts';
export { StatusMaps, type StatusKind, type StatusMapConfig } from './status-map.ts';
export type { Collection, FailureCode, MappingResult, RecordFailure } from './types.ts';
export { SCHEMAS, validateBody, type FieldIssue } from './validation.ts';
