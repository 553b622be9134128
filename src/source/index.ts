/**
 * The legacy FiberPlan reader: what the registry lists, the stage's pre-check, the legacy server's errors.
 * The MySQL driver's part is in mysql/, behind a face of its own.
 *
 * @packageDocumentation
 */
export { DEFAULT_LEGACY_DB_URL, REGISTRY_DATABASE, SUBPROJECT_NAME_PATTERN } from './constants.ts';
export { connectionLossCode, LegacyDbUnreachableError, UnknownSubprojectError } from './errors.ts';
export { LegacyPrecheck, type PrecheckRegistry } from './precheck.ts';
export type { LegacyDbConfig, ListSubprojectsOptions, PrecheckResult, SettingRow, Subproject, SubprojectProblem, SubprojectTable } from './types.ts';
