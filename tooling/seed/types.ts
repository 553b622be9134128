import type { AddressRow, AssignmentRow, Collection, ContractorRow, DocumentRow, FailureCode, PlanboardSlotRow, ProjectRow } from '../../src/domain/index.ts';
import type { DEFECT_CLASSES } from './constants.ts';

/** What the seed generates: one customer's databases. */
export interface SeedOptions {
  /** Customer key; the sub-project databases are `fp_<customer>_<label>`. */
  customer: string;
  /** PRNG seed: the same options always give the same rows, byte for byte. */
  seed: number;
  /** Row counts grow linearly with it; 1 gives a few thousand rows in all. */
  scale: number;
  /** Share of rows given one random defect; 0 gives clean data without any planted defect. */
  dirt: number;
}

/** A defect class of docs/legacy-schema.md (the dirty data to expect) that the seed plants. */
export type DefectClass = (typeof DEFECT_CLASSES)[number];

/**
 * A legacy row as the seed stores it: the domain's row type of the table
 * (src/domain/legacy-rows.ts, the one description of the legacy schema)
 * without the `<column>_exists` flags that only the engine's source queries add.
 */
type StoredRow<T> = { [K in keyof T as K extends `${string}_exists` ? never : K]-?: Exclude<T[K], undefined> };

/** `projects` as stored. Dates are `YYYY-MM-DD` (possibly `0000-00-00`), DATETIMEs local `YYYY-MM-DD HH:MM:SS`. */
export type SeedProject = StoredRow<ProjectRow>;
/** `contractors` as stored. */
export type SeedContractor = StoredRow<ContractorRow>;
/** `addresses` as stored; coordinates have at most 7 decimals, like the DECIMAL(10,7) columns. */
export type SeedAddress = Omit<StoredRow<AddressRow>, 'latitude' | 'longitude'> & { latitude: number | null; longitude: number | null };
/** `assignments` as stored. */
export type SeedAssignment = StoredRow<AssignmentRow>;
/** `documents` as stored: the seed always has the bytes (what a page read says of them is no column). */
export type SeedDocument = Omit<StoredRow<DocumentRow>, 'content' | 'content_length' | 'content_error'> & { content: Buffer };
/** `planboard_slots` as stored. */
export type SeedPlanboardSlot = StoredRow<PlanboardSlotRow>;

/** The rows of every record table of one sub-project database. */
export interface SeedTables {
  projects: SeedProject[];
  contractors: SeedContractor[];
  addresses: SeedAddress[];
  assignments: SeedAssignment[];
  documents: SeedDocument[];
  planboard_slots: SeedPlanboardSlot[];
}

/** A sub-project as the manifest names it. */
export interface SubprojectSpec {
  database: string;
  label: string;
  active: boolean;
}

/** A legacy status spelling mapped by a sub-project's `settings.status_map.<table>` row. */
export type StatusMaps = Partial<Record<'projects' | 'addresses' | 'assignments', Record<string, string>>>;

/** The outcome of one record: migrated, or the failure or skip the report must show. */
export type ExpectedOutcome = 'migrated' | { code: FailureCode; field?: string };

/** One deliberately planted defect and what the engine must report for it (without `migrateCompletedProjects`). */
export interface PlantedDefect {
  defect: DefectClass;
  collection: Collection;
  externalRef: string;
  expect: ExpectedOutcome;
}

/** Everything generated for one sub-project database. */
export interface GeneratedSubproject {
  spec: SubprojectSpec;
  /** The `settings` rows, `status_map.<table>` JSON among them. */
  settings: { name: string; value: string }[];
  statusMaps: StatusMaps;
  tables: SeedTables;
  planted: PlantedDefect[];
}

/** One failed or skipped record of the manifest. */
export interface ExpectedFailure {
  externalRef: string;
  code: FailureCode;
  field?: string;
}

/** Predicted counts of one collection after a first run. `source = migrated + skipped + failed`. */
export interface CollectionExpectation {
  source: number;
  migrated: number;
  skipped: number;
  failed: number;
  /** Every failed and skipped record, sorted by externalRef (code-unit order). */
  failures: ExpectedFailure[];
}

/** Predicted report entities of one first run. */
export interface Expectation {
  entities: Record<Collection, CollectionExpectation>;
}

/** What `scripts/seed.ts` writes to `.local/seed/<customer>/manifest.json`. */
export interface SeedManifest {
  customer: string;
  seed: number;
  scale: number;
  dirt: number;
  subprojects: SubprojectSpec[];
  planted: PlantedDefect[];
  expected: {
    default: Expectation;
    migrateCompletedProjects: Expectation;
  };
}
