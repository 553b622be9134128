import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import { COLLECTIONS, SKIP_CODES } from '../domain/constants.ts';
import type { Collection } from '../domain/types.ts';
import { CONSUMER_COUNTERS, FIX_LIST_COLUMNS } from './constants.ts';
import { close, JsonArrayFile, put } from './json-array-file.ts';
import type { Ledger } from './ledger.ts';
import { ReportAggregate } from './report-aggregate.ts';
import { renderReportHtml } from './report-html.ts';
import { fixListFile, reportKeys } from './report-location.ts';
import { NO_OUTCOME_MESSAGE, originOf, type CollectionCounts, type DeletedInSourceRecord, type ReportFailure, type RunSummary } from './report.ts';
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

/** Where the finished files of a report go (the engine's bucket). */
export interface ReportStore {
  /** Stores a file under a key and returns the key. */
  putFile(key: string, path: string, contentType: string): Promise<string>;
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

/** A run's progress figures, per collection, as the run table holds them. */
type RunProgressFigures = Partial<Record<Collection, CollectionProgress>>;

/** What reading a run's entries left: the aggregate for the summary, and the files written in `folder`. */
interface ReadRun {
  folder: string;
  aggregate: ReportAggregate;
  /** Fix lists by sub-project. */
  fixLists: Map<string, OpenFixList>;
  failureFiles: Map<Collection, JsonArrayFile>;
  goneFiles: Map<Collection, JsonArrayFile>;
}

/** A sub-project's fix list being written: CSV rows into a file. */
interface OpenFixList {
  csv: Stringifier;
  file: WriteStream;
  path: string;
  records: number;
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
    const finishedAt = run.finishedAt ?? now.toISOString();
    const folder = await mkdtemp(join(tmpdir(), 'report-'));
    try {
      const read = await this.readEntries(run, runId, progress, finishedAt, folder);
      const settled: SettledCounters[] = [];
      if (run.finishedAt !== undefined) {
        const behind = COLLECTIONS.some((collection) => indexBehind(read.aggregate.countsOf(collection), progress[collection]));
        if (behind && indexWaits > 0) {
          await new Promise((resolve) => setTimeout(resolve, INDEX_CATCH_UP_MS));
          return await this.write(customer, runId, now, indexWaits - 1);
        }
        for (const collection of COLLECTIONS) {
          const counted = await this.settle(customer, runId, collection, read.aggregate.countsOf(collection), progress[collection]);
          if (counted) settled.push(counted);
        }
      }
      for (const list of read.fixLists.values()) {
        list.csv.end();
        await once(list.file, 'close');
      }
      const summary = summaryOf({ customer, runId }, run, finishedAt, read);
      return { summary, keys: await this.storeFiles(summary, folder, read), settled };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /**
   * Reads the run's entries, collection by collection, into the aggregate
   * and the files of `folder`. The by-run index sorts by externalRef:
   * failures come (and stay) in that order.
   */
  private async readEntries(run: RunRecord, runId: string, progress: RunProgressFigures, finishedAt: string, folder: string): Promise<ReadRun> {
    const read: ReadRun = {
      folder,
      aggregate: new ReportAggregate(Date.parse(run.startedAt), Date.parse(finishedAt)),
      fixLists: new Map(),
      failureFiles: new Map(),
      goneFiles: new Map(),
    };
    for (const collection of COLLECTIONS) {
      read.aggregate.setSource(collection, progress[collection]?.source ?? 0, progress[collection]?.alreadyMigrated ?? 0);
      const failures = new JsonArrayFile(join(folder, `failures-${collection}.json`));
      read.failureFiles.set(collection, failures);
      const gone = new JsonArrayFile(join(folder, `deleted-in-source-${collection}.json`));
      read.goneFiles.set(collection, gone);
      for await (const entry of this.ledger.entriesOfRun(runId, collection, run.databases ?? [])) await this.addEntry(read, collection, entry);
      await failures.close();
      await gone.close();
    }
    return read;
  }

  /** Counts one entry, and writes it to its collection's failures or records gone from the source (and a failure to its fix list). */
  private async addEntry(read: ReadRun, collection: Collection, entry: LedgerEntry): Promise<void> {
    const kind = kindOf(entry);
    // A record still `queued` has no outcome: it is listed, but it did not happen at any time of the chart.
    const at = kind === 'noOutcome' ? Number.NaN : Date.parse(entry.updatedAt);
    if (kind === 'migrated') read.aggregate.addMigrated(collection, at);
    else if (kind === 'updated') read.aggregate.addUpdated(collection, at);
    else if (kind === 'unchanged') read.aggregate.addUnchanged(collection, at);
    else if (kind === 'deletedInSource') {
      const record = deletedInSourceOf(entry);
      read.aggregate.addDeletedInSource(collection, record);
      await read.goneFiles.get(collection)!.add(record);
    } else {
      const failure = failureOf(entry);
      read.aggregate.addFailure(collection, kind === 'skipped' ? 'skipped' : 'failed', failure, at);
      await read.failureFiles.get(collection)!.add(failure);
      await this.addToFixList(read.fixLists, read.folder, collection, failure);
    }
  }

  /** Assembles report.json and report.html and stores them with the fix lists; returns their keys. */
  private async storeFiles(summary: RunSummary, folder: string, read: ReadRun): Promise<WrittenReport['keys']> {
    const jsonPath = join(folder, 'report.json');
    await this.assembleJson(jsonPath, summary, read.failureFiles, read.goneFiles);
    const htmlPath = join(folder, 'report.html');
    await writeFile(htmlPath, renderReportHtml(summary));
    const keys = reportKeys(summary.customer, summary.runId);
    const fixListKeys: string[] = [];
    for (const { database, file } of summary.fixLists)
      fixListKeys.push(await this.store.putFile(`${keys.folder}/${file}`, read.fixLists.get(database)!.path, 'text/csv; charset=utf-8'));
    await this.store.putFile(keys.html, htmlPath, 'text/html; charset=utf-8');
    // report.json last: whoever finds it finds the rest too.
    await this.store.putFile(keys.json, jsonPath, 'application/json');
    return { json: keys.json, html: keys.html, fixLists: fixListKeys };
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

  /** report.json: the summary's fields, and per collection its figures, causes, the records gone from the source and the failures, both streamed from their files. */
  private async assembleJson(
    path: string,
    summary: RunSummary,
    failureFiles: Map<Collection, JsonArrayFile>,
    goneFiles: Map<Collection, JsonArrayFile>,
  ): Promise<void> {
    const out = createWriteStream(path);
    const { entities, ...header } = summary;
    await put(out, `${JSON.stringify(header).slice(0, -1)},"entities":{`);
    for (const [index, collection] of COLLECTIONS.entries()) {
      const { deletedInSource: gone, ...figures } = entities[collection];
      await put(
        out,
        `${index ? ',' : ''}\n${JSON.stringify(collection)}:${JSON.stringify(figures).slice(0, -1)},"deletedInSource":{"count":${gone.count},"deleted":${gone.deleted},"records":[\n`,
      );
      await goneFiles.get(collection)!.copyInto(out);
      await put(out, '\n]},"failures":[\n');
      await failureFiles.get(collection)!.copyInto(out);
      await put(out, '\n]}');
    }
    await put(out, '\n}}\n');
    await close(out);
  }

  private async addToFixList(fixLists: Map<string, OpenFixList>, folder: string, collection: Collection, failure: ReportFailure): Promise<void> {
    const origin = originOf(failure.externalRef);
    let list = fixLists.get(origin.database);
    if (!list) {
      const path = join(folder, `fixlist-${origin.database}.csv`);
      // A cell a spreadsheet would evaluate (= + - @ tab CR first, OWASP's CSV injection) gets a leading ' and stays text.
      const csv = stringify({ header: true, columns: [...FIX_LIST_COLUMNS], escape_formulas: true });
      const file = createWriteStream(path);
      csv.pipe(file);
      list = { csv, file, path, records: 0 };
      fixLists.set(origin.database, list);
    }
    list.records += 1;
    await put(list.csv, {
      sub_project: origin.database,
      table: origin.table,
      legacy_id: origin.legacyId,
      external_ref: failure.externalRef,
      collection,
      code: failure.code,
      field: failure.field ?? '',
      value: failure.value ?? '',
      message: failure.message,
    });
  }
}

/** The summary of report.json: the customer's run, its figures from the aggregate, its fix lists (by sub-project). */
function summaryOf(of: { customer: string; runId: string }, run: RunRecord, finishedAt: string, read: ReadRun): RunSummary {
  const databases = [...read.fixLists.keys()].sort();
  return {
    ...of,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(run.startedAt)),
    ...(run.dryRun ? { dryRun: true as const } : {}),
    options: run.options,
    target: run.target ?? { workflowsRestored: false, emailRestored: false },
    ...(run.error ? { error: run.error } : {}),
    throughput: read.aggregate.throughput(),
    fixLists: databases.map((database) => ({ database, file: fixListFile(database), records: read.fixLists.get(database)!.records })),
    entities: read.aggregate.entities(),
  };
}

/** What a run's ledger entry counts as in its report. */
type EntryKind = 'migrated' | 'updated' | 'unchanged' | 'deletedInSource' | 'failed' | 'skipped' | 'noOutcome';

/**
 * Sorts a run's entry: created, a delta's update (sent, or nothing to send),
 * a record gone from the source (whatever DELETE_MISSING did), a failure or
 * skip (a delta's too, while the entry stays migrated), or no outcome yet.
 */
function kindOf(entry: LedgerEntry): EntryKind {
  if (entry.delta === 'deletedInSource' || entry.delta === 'deleted' || entry.delta === 'kept') return 'deletedInSource';
  if (entry.status === 'queued' || entry.delta === 'queued') return 'noOutcome';
  if (entry.status === 'migrated' && (entry.delta === 'updated' || entry.delta === 'unchanged')) return entry.delta;
  if (entry.status === 'migrated' && entry.delta !== 'failed') return 'migrated';
  return entry.code !== undefined && (SKIP_CODES as readonly string[]).includes(entry.code) ? 'skipped' : 'failed';
}

/** A record gone from the source as report.json lists it. */
function deletedInSourceOf(entry: LedgerEntry): DeletedInSourceRecord {
  return {
    externalRef: entry.externalRef,
    targetId: entry.targetId ?? '',
    deleted: entry.delta === 'deleted',
    ...(entry.delta === 'kept' ? { reason: entry.value ?? entry.code ?? 'failed' } : {}),
  };
}

/** A failed, skipped or unanswered entry as the report lists it. */
function failureOf(entry: LedgerEntry): ReportFailure {
  if (entry.status === 'queued' || entry.delta === 'queued')
    return { externalRef: entry.externalRef, code: 'transient_exhausted', message: NO_OUTCOME_MESSAGE };
  return {
    externalRef: entry.externalRef,
    code: entry.code ?? 'rejected_by_target',
    message: entry.message ?? '',
    ...(entry.field ? { field: entry.field } : {}),
    ...(entry.value ? { value: entry.value } : {}),
  };
}
