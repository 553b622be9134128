import type { Collection, FailureCode } from '../../domain/types.ts';
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

/** A defect class of CONTRACT.md 1.3 that the seed plants. */
export type DefectClass = (typeof DEFECT_CLASSES)[number];

/** `projects` as stored. Dates are `YYYY-MM-DD` (possibly `0000-00-00`), DATETIMEs local `YYYY-MM-DD HH:MM:SS`. */
export interface SeedProject {
  id: number;
  code: string;
  name: string;
  status: string;
  municipality: string | null;
  start_date: string | null;
  end_date: string | null;
  updated_at: string;
}

/** `contractors` as stored. */
export interface SeedContractor {
  id: number;
  name: string;
  kvk_number: string | null;
  email: string | null;
  phone: string | null;
  updated_at: string;
}

/** `addresses` as stored; coordinates have at most 7 decimals, like the DECIMAL(10,7) columns. */
export interface SeedAddress {
  id: number;
  project_id: number;
  postcode: string;
  house_number: number;
  house_letter: string | null;
  house_addition: string | null;
  street: string;
  city: string;
  latitude: number | null;
  longitude: number | null;
  kind: string;
  status: string;
  updated_at: string;
}

/** `assignments` as stored. */
export interface SeedAssignment {
  id: number;
  address_id: number;
  contractor_id: number | null;
  type: string;
  status: string;
  planned_date: string | null;
  completed_at: string | null;
  remarks: string | null;
  updated_at: string;
}

/** `documents` as stored. */
export interface SeedDocument {
  id: number;
  assignment_id: number;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  created_at: string;
}

/** `planboard_slots` as stored. */
export interface SeedPlanboardSlot {
  id: number;
  assignment_id: number;
  team: string;
  starts_at: string;
  ends_at: string;
  updated_at: string;
}

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
