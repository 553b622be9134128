import type { Collection, FailureCode } from '../domain/index.ts';

/** One failed or skipped record as the report lists it. */
export interface ReportFailure {
  externalRef: string;
  code: FailureCode;
  message: string;
  field?: string;
  /** The offending value, when the mapping named one. */
  value?: string;
}

/** One collection's figures (docs/report.md, counting): `source = migrated + updated + alreadyMigrated + skipped + failed`. */
export interface CollectionCounts {
  source: number;
  migrated: number;
  /** Migrated before, changed in FiberPlan since, and the changed fields sent (a dry run: would be updated). */
  updated: number;
  alreadyMigrated: number;
  skipped: number;
  failed: number;
}

/** A record the ledger shows migrated whose source row no longer exists. */
export interface DeletedInSourceRecord {
  externalRef: string;
  targetId: string;
  /** Deleted in the target by this run (DELETE_MISSING; a 404 counts: it is gone). */
  deleted: boolean;
  /** Why DELETE_MISSING kept it in the target: `target_changed` (412), `has_children` (409) or `failed` (another answer, retries used up). */
  reason?: string;
}

/** A collection's records gone from FiberPlan: every one in report.json, the first few in the summary (report.html). */
export interface DeletedInSource {
  count: number;
  /** Of them, deleted in the target by this run. */
  deleted: number;
  records: DeletedInSourceRecord[];
}

/** The failed and skipped records of one collection that share a cause: the same code and field. */
export interface FailureGroup {
  code: FailureCode;
  field?: string;
  count: number;
  /** The sub-projects with the most records of this group, most first (bounded). */
  subprojects: { database: string; count: number }[];
  /** The first records of the group in externalRef order (bounded). */
  sample: ReportFailure[];
}

/** A collection in report.json: its figures, its failures grouped by cause, every failure, and every record gone from the source. */
export interface CollectionReport extends CollectionCounts {
  groups: FailureGroup[];
  failures: ReportFailure[];
  deletedInSource: DeletedInSource;
}

/** Outcomes written per interval of the run, for the throughput chart. */
export interface Throughput {
  /** Start of the first interval (ISO 8601). */
  from: string;
  intervalSeconds: number;
  /** Outcomes (migrated, failed, skipped) written in each interval, all collections. */
  outcomes: number[];
}

/** What every view of a run's report shares: everything but the full failure lists. */
export interface RunHeader {
  customer: string;
  runId: string;
  status: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: Record<string, unknown>;
  /** Present (true) on a dry run: `migrated` means "would be migrated"; nothing was sent to FiberConnect. */
  dryRun?: true;
  target: { workflowsRestored: boolean; emailRestored: boolean };
  error?: string;
  throughput: Throughput;
  /** The fix lists beside report.json, one CSV per sub-project with failed or skipped records. */
  fixLists: { database: string; file: string; records: number }[];
}

/** report.json (docs/report.md). */
export interface RunReport extends RunHeader {
  entities: Record<Collection, CollectionReport>;
}

/** The report without its full failure lists: bounded whatever the size of the run (the summary, report.html). */
export interface RunSummary extends RunHeader {
  entities: Record<Collection, CollectionSummary>;
}

/** A collection in the summary: figures, causes, and the records gone from the source with a bounded sample. */
export type CollectionSummary = CollectionCounts & { groups: FailureGroup[]; deletedInSource: DeletedInSource };

/**
 * report.json without its lists (every failure, every record gone from the
 * source): what the CLI prints and returns, read in bounded memory whatever
 * the size of the run (tooling/cli/report-file.ts).
 */
export interface RunFigures extends RunHeader {
  entities: Record<Collection, CollectionCounts & { groups: FailureGroup[]; deletedInSource: Omit<DeletedInSource, 'records'> }>;
}

/** Message of a record that was sent but has no outcome: its message is in the dead-letter queue or was lost in flight. */
export const NO_OUTCOME_MESSAGE = 'sent to the queue but no outcome was recorded: retries used up (dead-letter queue) or lost in flight; redrive or re-run';

/** Where a failed record came from, read off its externalRef (`<database>:<table>:<id>`). */
export function originOf(externalRef: string): { database: string; table: string; legacyId: string } {
  const [database = '', table = '', legacyId = ''] = externalRef.split(':');
  return { database, table, legacyId };
}
