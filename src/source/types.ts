import type { SUBPROJECT_TABLES } from '../domain/index.ts';

/** A table of a sub-project database. */
export type SubprojectTable = (typeof SUBPROJECT_TABLES)[number];

/** A legacy table whose rows become target records (every sub-project table but `settings`). */
export type RecordTable = Exclude<SubprojectTable, 'settings'>;

/** Connection settings of the legacy database, as parsed from `LEGACY_DB_URL`. */
export interface LegacyDbConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Default database of the connection, when the URL names one. */
  database?: string;
}

/** Options of the registry's `listSubprojects`. */
export interface ListSubprojectsOptions {
  /** Also list inactive sub-projects (default false: they are never migrated). */
  includeInactive?: boolean;
}

/** One row of `fiberplan_registry.subprojects`. */
export interface Subproject {
  id: number;
  customer: string;
  database: string;
  label: string | null;
  /** Inactive sub-projects are never migrated. */
  active: boolean;
}

/** Why a registered sub-project database cannot be migrated: it does not exist, or tables of it cannot be read. */
export type SubprojectProblem = { kind: 'missing' } | { kind: 'unreadable'; tables: { table: string; code: string }[] };

/** One row of a sub-project's `settings` table. */
export interface SettingRow {
  name: string;
  value: string;
}

/** What the legacy pre-check found: the customer's active sub-project databases. */
export interface PrecheckResult {
  customer: string;
  subprojects: string[];
}
