/** Where the legacy database listens when `LEGACY_DB_URL` is not set. */
export const DEFAULT_LEGACY_DB_URL = 'mysql://root@127.0.0.1:3306';

/** The database that lists every customer's sub-project databases (docs/legacy-schema.md, the registry). */
export const REGISTRY_DATABASE = 'fiberplan_registry';

/**
 * What a sub-project's database name may be: the handlers' events accept only
 * such names, so the pre-check refuses any other before anything changes.
 */
export const SUBPROJECT_NAME_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
