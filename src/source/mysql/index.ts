/**
 * The legacy MySQL server: connection pools and the registry's queries (mysql2). A face of its own, apart
 * from source/'s: the engine loads it on first use (import()), so a function that never reads FiberPlan never
 * loads the driver.
 *
 * @packageDocumentation
 */
export { assertReachable, createLegacyPool, parseLegacyDbUrl } from './connection.ts';
export { LegacyRegistry } from './registry.ts';
