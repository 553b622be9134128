import { setTimeout as sleep } from 'node:timers/promises';
import { type Collection, COLLECTIONS } from '../domain/index.ts';
import { type JsonArrayFile, oneMemberPerLine, type ReportFile, ReportFiles, type ReportStore } from '../report/index.ts';
import { type FixList, FixLists } from './fix-lists.ts';
import type { Ledger } from './ledger.ts';
import { ReportAggregate } from './report-aggregate.ts';
import { deletedInSourceOf, failureOf, kindOf } from './report-entries.ts';
import { reportPage } from './report-html.ts';
import { reportKeys } from './report-location.ts';
import type { CollectionCounts, RunSummary } from './report.ts';
import { CONSUMER_COUNTERS } from './constants.ts';
import type { RunStore } from './run-store.ts';
import type { CollectionProgress, ConsumerCounts, LedgerEntry, RunRecord } from './types.ts';

/** Reads of a finished run's report that wait for the by-run index before its counters are set to the recount. */
const INDEX_WAITS = 3;
/** Pause before reading the index again; DynamoDB's index updates usually take well under a second. */
const INDEX_CATCH_UP_MS = 2_000;

/** Fewer outcomes in the index's recount than the live counters hold: the index may still be catching up. */
function indexBehind(counts: CollectionCounts, progress: CollectionProgress | undefined): boolean {
  const recounted = counts.migrated + counts.updated + counts.failed + counts.skipped;
  const live = (progress?.migrated ?? 0) + (progress?.updated ?? 0) + (progress?.failed ?? 0) + (progress?.skipped ?? 0);
  return recounted < live;
}

/** What {@link RunReportWriter.write} stored. */
export interface WrittenReport {
  summary: RunSummary;
  keys: { json: string; html: string; fixLists: string[] };
  /** Collections whose live counters differed from the ledger, now set to it (a finished run's only). */
  settled: SettledCounters[];
}

/** A collection's live counters before and after they were set to the ledger's recount. */
export interface SettledCounters<Counts = ConsumerCounts> {
  collection: Collection;
  live: Counts;
  ledger: Counts;
}

/** The run a report is written of, as it stood when the report began. */
interface RunRead {
  customer: string;
  runId: string;
  run: RunRecord;
  progress: Partial<Record<Collection, CollectionProgress>>;
  /** When the run finished, or `now` for a run still going. */
  finishedAt: string;
}

/** What one pass over a run's ledger entries leaves: the counts and samples, and the lists streamed to files. */
interface LedgerRead {
  aggregate: ReportAggregate;
  failures: Map<Collection, JsonArrayFile>;
  gone: Map<Collection, JsonArrayFile>;
  fixLists: FixLists;
}

/**
 * Writes a run's report from the ledger in bounded memory: the run's ledger
 * entries stream by once; failures go to files on disk as they come (the
 * collection's part of report.json, the sub-project's fix list), while only
 * counts, causes and bounded samples stay in memory for the summary and
 * report.html. Then every file is streamed to the bucket.
 */
export class RunReportWriter {
  public constructor(
    private readonly ledger: Pick<Ledger, 'entriesOfRun'>,
    private readonly runs: Pick<RunStore, 'getRun' | 'progress' | 'settleOutcomes'>,
    private readonly store: ReportStore,
  ) {}

  /**
   * Builds and stores report.json, report.html and the fix lists of a run; returns the summary and the keys.
   * The ledger is read through the by-run index, which DynamoDB updates a moment after the table and
   * cannot read consistently: when a finished run's recount shows fewer outcomes than its live
   * counters (a consistent read), the index may still be catching up, so the report is read again
   * after {@link INDEX_CATCH_UP_MS}, `indexWaits` times at most, before the counters are set to it.
   */
  public async write(customer: string, runId: string, now = new Date(), indexWaits = INDEX_WAITS): Promise<WrittenReport> {
    const run = await this.runs.getRun(customer, runId);
    if (!run) throw new Error(`no run ${runId} for customer ${customer}`);
    const progress = await this.runs.progress(customer, runId);
    const read: RunRead = { customer, runId, run, progress, finishedAt: run.finishedAt ?? now.toISOString() };
    const written = await ReportFiles.write('report-', (files) => this.writeFiles(files, read, indexWaits > 0));
    if (written) return written;
    await sleep(INDEX_CATCH_UP_MS);
    return await this.write(customer, runId, now, indexWaits - 1);
  }

  /** Reads the ledger and writes the files; undefined when the index is behind and `mayWait` (then nothing is stored). */
  private async writeFiles(files: ReportFiles, read: RunRead, mayWait: boolean): Promise<WrittenReport | undefined> {
    const ledger = await this.readLedger(files, read);
    const fixLists = await ledger.fixLists.close();
    const { run, progress } = read;
    if (run.finishedAt !== undefined && mayWait && COLLECTIONS.some((c) => indexBehind(ledger.aggregate.countsOf(c), progress[c]))) return undefined;
    const settled = run.finishedAt === undefined ? [] : await this.settleAll(read, ledger.aggregate);
    const summary = runSummary(read, ledger.aggregate, fixLists);
    const keys = reportKeys(read.customer, read.runId);
    // Each fix list typed as a ReportFile: the IAM check (tooling/static/aws-calls.ts) follows its key to the grant through that type.
    const fixListFiles = fixLists.map(({ file, path }): ReportFile => ({ key: `${keys.folder}/${file}`, path, contentType: 'text/csv; charset=utf-8' }));
    const fixListKeys = await files.store(this.store, {
      files: fixListFiles,
      html: { key: keys.html, page: reportPage(summary) },
      json: { key: keys.json, document: runDocument(summary, ledger) },
    });
    return { summary, keys: { json: keys.json, html: keys.html, fixLists: fixListKeys }, settled };
  }

  /** One pass over the run's entries, collection by collection, in the by-run index's order (externalRef: failures come and stay so). */
  private async readLedger(files: ReportFiles, { run, runId, progress, finishedAt }: RunRead): Promise<LedgerRead> {
    const aggregate = new ReportAggregate(Date.parse(run.startedAt), Date.parse(finishedAt));
    const read: LedgerRead = { aggregate, failures: new Map(), gone: new Map(), fixLists: new FixLists((name) => files.path(name)) };
    for (const collection of COLLECTIONS) {
      aggregate.setSource(collection, progress[collection]?.source ?? 0, progress[collection]?.alreadyMigrated ?? 0);
      read.failures.set(collection, files.array(`failures-${collection}.json`));
      read.gone.set(collection, files.array(`deleted-in-source-${collection}.json`));
      for await (const entry of this.ledger.entriesOfRun(runId, collection, run.databases ?? [])) await countEntry(read, collection, entry);
    }
    return read;
  }

  /** Sets a finished run's live counters to the ledger's recount, collection by collection; returns those that differed. */
  private async settleAll({ customer, runId, progress }: RunRead, aggregate: ReportAggregate): Promise<SettledCounters[]> {
    const settled: SettledCounters[] = [];
    for (const collection of COLLECTIONS) {
      const counted = await this.settle(customer, runId, collection, aggregate.countsOf(collection), progress[collection]);
      if (counted) settled.push(counted);
    }
    return settled;
  }

  /**
   * Sets a finished run's live counters of one collection to the ledger's
   * recount when they differ (see {@link RunStore.settleOutcomes}): after the
   * run, its progress says what its report says.
   */
  private async settle(
    customer: string,
    runId: string,
    collection: Collection,
    counts: CollectionCounts,
    progress: CollectionProgress | undefined,
  ): Promise<SettledCounters | undefined> {
    // `alreadyMigrated` is the producers' figure plus what consumers found unchanged.
    const ledger: ConsumerCounts = {
      migrated: counts.migrated,
      updated: counts.updated,
      unchanged: counts.alreadyMigrated - (progress?.alreadyMigrated ?? 0),
      failed: counts.failed,
      skipped: counts.skipped,
    };
    if (CONSUMER_COUNTERS.every((name) => (progress?.[name] ?? 0) === ledger[name])) return undefined;
    const live = await this.runs.settleOutcomes(customer, runId, collection, ledger);
    return { collection, live, ledger };
  }
}

/** One entry: counted, and a record gone from the source or a failure to its lists (a failure to its fix list too). */
async function countEntry({ aggregate, failures, gone, fixLists }: LedgerRead, collection: Collection, entry: LedgerEntry): Promise<void> {
  const kind = kindOf(entry);
  // A record still `queued` has no outcome: it is listed, but it did not happen at any time of the chart.
  const at = kind === 'noOutcome' ? Number.NaN : Date.parse(entry.updatedAt);
  if (kind === 'migrated') aggregate.addMigrated(collection, at);
  else if (kind === 'updated') aggregate.addUpdated(collection, at);
  else if (kind === 'unchanged') aggregate.addUnchanged(collection, at);
  else if (kind === 'deletedInSource') {
    const record = deletedInSourceOf(entry);
    aggregate.addDeletedInSource(collection, record);
    await gone.get(collection)!.add(record);
  } else {
    const failure = failureOf(entry);
    aggregate.addFailure(collection, kind === 'skipped' ? 'skipped' : 'failed', failure, at);
    await failures.get(collection)!.add(failure);
    await fixLists.add(collection, failure);
  }
}

/** The run's figures, causes and samples: what report.html shows and the CLI prints. */
function runSummary({ customer, runId, run, finishedAt }: RunRead, aggregate: ReportAggregate, fixLists: readonly FixList[]): RunSummary {
  return {
    customer,
    runId,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(run.startedAt)),
    ...(run.dryRun ? { dryRun: true as const } : {}),
    options: run.options,
    target: run.target ?? { workflowsRestored: false, emailRestored: false },
    ...(run.error ? { error: run.error } : {}),
    throughput: aggregate.throughput(),
    fixLists: fixLists.map(({ database, file, records }) => ({ database, file, records })),
    entities: aggregate.entities(),
  };
}

/** report.json: the summary's fields, and per collection its figures, causes, the records gone from the source and the failures, both streamed from their files. */
function runDocument(summary: RunSummary, { failures, gone }: LedgerRead): Record<string, unknown> {
  const entities = COLLECTIONS.map((collection) => {
    const { deletedInSource, ...figures } = summary.entities[collection];
    const records = gone.get(collection);
    return [
      collection,
      { ...figures, deletedInSource: { count: deletedInSource.count, deleted: deletedInSource.deleted, records }, failures: failures.get(collection) },
    ];
  });
  return { ...summary, entities: oneMemberPerLine(Object.fromEntries(entities)) };
}
