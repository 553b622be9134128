import { type Collection, COLLECTIONS } from '../domain/index.ts';
import { GROUP_SAMPLE_SIZE, GROUP_SUBPROJECTS, THROUGHPUT_INTERVALS } from './constants.ts';
import {
  originOf,
  type CollectionCounts,
  type CollectionSummary,
  type DeletedInSource,
  type DeletedInSourceRecord,
  type FailureGroup,
  type ReportFailure,
  type Throughput,
} from './report.ts';

interface OpenGroup {
  group: FailureGroup;
  bySubproject: Map<string, number>;
}

/**
 * The bounded part of a report, gathered while the ledger's entries of a run
 * stream by: counts per collection, failures grouped by cause (code and
 * field) with a bounded sample and per-sub-project counts, and outcomes over
 * time. Its size depends on the number of causes and sub-projects, never on
 * the number of records.
 */
export class ReportAggregate {
  private readonly counts = new Map<Collection, CollectionCounts>();
  private readonly groups = new Map<Collection, Map<string, OpenGroup>>();
  private readonly gone = new Map<Collection, DeletedInSource>();
  private readonly buckets: number[];
  private readonly from: number;
  private readonly intervalMs: number;

  /** `startedAt` and `finishedAt` (ms since epoch) span the throughput chart. */
  public constructor(startedAt: number, finishedAt: number) {
    this.from = startedAt;
    const span = Math.max(1_000, finishedAt - startedAt);
    this.intervalMs = Math.max(1_000, Math.ceil(span / THROUGHPUT_INTERVALS / 1_000) * 1_000);
    this.buckets = new Array<number>(Math.ceil(span / this.intervalMs)).fill(0);
  }

  /** Sets what the producers counted for a collection: its source rows and those migrated by earlier runs. */
  public setSource(collection: Collection, source: number, alreadyMigrated: number): void {
    Object.assign(this.countsOf(collection), { source, alreadyMigrated });
  }

  /** Counts one migrated record written at `at` (ms since epoch). */
  public addMigrated(collection: Collection, at: number): void {
    this.countsOf(collection).migrated += 1;
    this.addOutcomeAt(at);
  }

  /** Counts one record a delta updated (changed fields sent) at `at`. */
  public addUpdated(collection: Collection, at: number): void {
    this.countsOf(collection).updated += 1;
    this.addOutcomeAt(at);
  }

  /** Counts one record whose row changed but no mapped field did: nothing was sent, so it is already migrated. */
  public addUnchanged(collection: Collection, at: number): void {
    this.countsOf(collection).alreadyMigrated += 1;
    this.addOutcomeAt(at);
  }

  /** Counts one record gone from the source (not a source row: outside the `source` sum). */
  public addDeletedInSource(collection: Collection, record: DeletedInSourceRecord): void {
    const gone = this.deletedInSourceOf(collection);
    gone.count += 1;
    if (record.deleted) gone.deleted += 1;
    if (gone.records.length < GROUP_SAMPLE_SIZE) gone.records.push(record);
  }

  /** A collection's records gone from the source: counts and a bounded sample. */
  public deletedInSourceOf(collection: Collection): DeletedInSource {
    let gone = this.gone.get(collection);
    if (!gone) {
      gone = { count: 0, deleted: 0, records: [] };
      this.gone.set(collection, gone);
    }
    return gone;
  }

  /** Counts one failed or skipped record and files it under its cause. */
  public addFailure(collection: Collection, status: 'failed' | 'skipped', failure: ReportFailure, at: number): void {
    this.countsOf(collection)[status] += 1;
    this.addOutcomeAt(at);
    const byCause = this.groups.get(collection) ?? new Map<string, OpenGroup>();
    this.groups.set(collection, byCause);
    const cause = `${failure.code}\u0000${failure.field ?? ''}`;
    let open = byCause.get(cause);
    if (!open) {
      open = {
        group: { code: failure.code, ...(failure.field ? { field: failure.field } : {}), count: 0, subprojects: [], sample: [] },
        bySubproject: new Map(),
      };
      byCause.set(cause, open);
    }
    open.group.count += 1;
    if (open.group.sample.length < GROUP_SAMPLE_SIZE) open.group.sample.push(failure);
    const { database } = originOf(failure.externalRef);
    open.bySubproject.set(database, (open.bySubproject.get(database) ?? 0) + 1);
  }

  /** A collection's figures. */
  public countsOf(collection: Collection): CollectionCounts {
    let counts = this.counts.get(collection);
    if (!counts) {
      counts = { source: 0, migrated: 0, updated: 0, alreadyMigrated: 0, skipped: 0, failed: 0 };
      this.counts.set(collection, counts);
    }
    return counts;
  }

  /** A collection's causes, the most frequent first. */
  public groupsOf(collection: Collection): FailureGroup[] {
    return [...(this.groups.get(collection)?.values() ?? [])]
      .map(({ group, bySubproject }) => ({
        ...group,
        subprojects: [...bySubproject]
          .map(([database, count]) => ({ database, count }))
          .sort((a, b) => b.count - a.count || a.database.localeCompare(b.database))
          .slice(0, GROUP_SUBPROJECTS),
      }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code) || (a.field ?? '').localeCompare(b.field ?? ''));
  }

  /** Outcomes per interval over the run. */
  public throughput(): Throughput {
    return { from: new Date(this.from).toISOString(), intervalSeconds: this.intervalMs / 1_000, outcomes: [...this.buckets] };
  }

  /** Every collection's figures, causes and records gone from the source. */
  public entities(): Record<Collection, CollectionSummary> {
    return Object.fromEntries(
      COLLECTIONS.map((collection) => [
        collection,
        { ...this.countsOf(collection), groups: this.groupsOf(collection), deletedInSource: this.deletedInSourceOf(collection) },
      ]),
    ) as Record<Collection, CollectionSummary>;
  }

  private addOutcomeAt(at: number): void {
    if (!Number.isFinite(at) || this.buckets.length === 0) return;
    // Outcomes written before the run's start or after its end (clock skew) count in the first or last interval.
    const index = Math.min(this.buckets.length - 1, Math.max(0, Math.floor((at - this.from) / this.intervalMs)));
    this.buckets[index]! += 1;
  }
}
