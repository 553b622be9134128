/**
 * Customer profiles: their schema, extends chains and file reader, and the run options (defined once).
 * The Parameter Store readers are in parameter-store/, behind a face of their own.
 *
 * @packageDocumentation
 */
export { DEFAULT_PROFILE } from './constants.ts';
export { FileProfiles } from './file-profiles.ts';
export { tenantOf } from './resolve-profile.ts';
export { MAX_QUEUE_BACKLOG, RUN_OPTIONS, type RunOptionDefinition, type RunOptionValues, type RunOverrides } from './run-options.ts';
export type { ResolvedProfile } from './types.ts';
