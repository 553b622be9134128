import type { RemovalLedger } from './removal-ledger.ts';
import { REMOVAL_COUNTERS, type RemovalCounts, reportKeys, type RunRecord, type RunStore, type SettledCounters } from '../ledger/index.ts';
import { type JsonArrayFile, oneMemberPerLine, ReportFiles, type ReportStore } from '../report/index.ts';
import { MAX_KEPT_IN_HTML, ROLLBACK_ORDER } from './constants.ts';
import { rollbackPage } from './rollback-html.ts';
import type { RemovableCollection } from '../pipeline/index.ts';
import type { RemovalOutcomeEntry, RollbackSummary } from './types.ts';

/** Where a rollback's report lives in the bucket (and, locally, under reports/): beside a migration's, under its own run id. */
export function rollbackReportKeys(customer: string, runId: string): { json: string; html: string } {
  const { folder } = reportKeys(customer, runId);
  return { json: `${folder}/rollback.json`, html: `${folder}/rollback.html` };
}

/** What {@link RollbackReportWriter.write} wrote, and the live counters it set to the removal ledger's recount. */
export interface WrittenRollbackReport {
  summary: RollbackSummary;
  keys: { json: string; html: string };
  settled: SettledCounters<RemovalCounts>[];
}

/** What reading a rollback's outcomes leaves: counts and samples per collection, and the lists streamed to files. */
interface OutcomesRead {
  entities: RollbackSummary['entities'];
  kept: Map<RemovableCollection, JsonArrayFile>;
  failures: JsonArrayFile;
  failureSample: RollbackSummary['failureSample'];
}

/**
 * Builds rollback.json and rollback.html from a rollback's outcome items
 * (the by-run index, a page at a time, in externalRef order) and the closed
 * run record, in bounded memory: kept records and failures go to files on
 * disk as they come, only counts and samples of {@link MAX_KEPT_IN_HTML}
 * stay for the page. A finished rollback's live removal counters are set to
 * the recount, as a migration's are: a delivery stopped between its outcome
 * write and its counter write leaves them short.
 */
export class RollbackReportWriter {
  public constructor(
    private readonly ledger: Pick<RemovalLedger, 'outcomesOfRun'>,
    private readonly runs: Pick<RunStore, 'removalProgress' | 'settleRemovals'>,
    private readonly store: ReportStore,
  ) {}

  /** Writes the report of the closed `run`; returns its summary, its keys and the counters it settled. */
  public async write(run: RunRecord): Promise<WrittenRollbackReport> {
    return ReportFiles.write('rollback-report-', async (files) => {
      const read = await this.readOutcomes(files, run);
      const settled = run.finishedAt ? await this.settle(run, read.entities) : [];
      const summary = rollbackSummary(run, read);
      const keys = rollbackReportKeys(run.customer, run.runId);
      await files.store(this.store, {
        html: { key: keys.html, page: rollbackPage(summary) },
        json: { key: keys.json, document: rollbackDocument(summary, read) },
      });
      return { summary, keys, settled };
    });
  }

  /** Reads each collection's outcomes in the removal order: kept records and failures to their lists, the rest counted. */
  private async readOutcomes(files: ReportFiles, run: RunRecord): Promise<OutcomesRead> {
    const read: OutcomesRead = { entities: {} as OutcomesRead['entities'], kept: new Map(), failures: files.array('failures.json'), failureSample: [] };
    for (const collection of ROLLBACK_ORDER) {
      read.entities[collection] = { removed: 0, alreadyGone: 0, failed: 0, kept: 0, keptByReason: {}, keptSample: [] };
      const kept = files.array(`kept-${collection}.json`);
      read.kept.set(collection, kept);
      for await (const outcome of this.ledger.outcomesOfRun(run.runId, collection, run.databases ?? [])) await countOutcome(read, collection, outcome);
      read.entities[collection].kept = kept.count;
    }
    return read;
  }

  /** Sets each collection's live removal counters to the recount where they differ; a running rollback's removers may still ADD, so only a finished one's. */
  private async settle(run: RunRecord, entities: RollbackSummary['entities']): Promise<SettledCounters<RemovalCounts>[]> {
    const progress = await this.runs.removalProgress(run.customer, run.runId);
    const settled: SettledCounters<RemovalCounts>[] = [];
    for (const collection of ROLLBACK_ORDER) {
      const { removed, alreadyGone, failed, kept } = entities[collection];
      const ledger: RemovalCounts = { removed, alreadyGone, kept, failed };
      if (REMOVAL_COUNTERS.every((name) => (progress[collection]?.[name] ?? 0) === ledger[name])) continue;
      settled.push({ collection, live: await this.runs.settleRemovals(run.customer, run.runId, collection, ledger), ledger });
    }
    return settled;
  }
}

/** One outcome: a kept record or a failure to its list (and the page's sample), a removal counted. */
async function countOutcome(read: OutcomesRead, collection: RemovableCollection, outcome: RemovalOutcomeEntry): Promise<void> {
  const counts = read.entities[collection];
  if (outcome.result === 'kept' && outcome.reason) {
    const record = { externalRef: outcome.externalRef, targetId: outcome.targetId, reason: outcome.reason };
    await read.kept.get(collection)!.add(record);
    counts.keptByReason[outcome.reason] = (counts.keptByReason[outcome.reason] ?? 0) + 1;
    if (counts.keptSample.length < MAX_KEPT_IN_HTML) counts.keptSample.push(record);
  } else if (outcome.result === 'failed') {
    counts.failed += 1;
    const failure = { collection, externalRef: outcome.externalRef, targetId: outcome.targetId, message: outcome.message ?? '' };
    await read.failures.add(failure);
    if (read.failureSample.length < MAX_KEPT_IN_HTML) read.failureSample.push(failure);
  } else if (outcome.result === 'removed' || outcome.result === 'alreadyGone') counts[outcome.result] += 1;
}

/** The rollback's figures with the page's samples, and its status as a report says it. */
function rollbackSummary(run: RunRecord, read: OutcomesRead): RollbackSummary {
  return {
    customer: run.customer,
    runId: run.runId,
    kind: 'rollback',
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? new Date().toISOString(),
    status: run.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
    ...(run.previousRunId ? { previousRunId: run.previousRunId } : {}),
    ...(run.error ? { error: run.error } : {}),
    entities: read.entities,
    failures: read.failures.count,
    failureSample: read.failureSample,
    target: run.target ?? { workflowsRestored: false, emailRestored: false },
  };
}

/** rollback.json (the shape of {@link RollbackReport}): the summary's fields, each collection's counts and kept records by reason and in full, every failure, the target's restore. */
function rollbackDocument(summary: RollbackSummary, read: OutcomesRead): Record<string, unknown> {
  const { entities, failures: _count, failureSample: _sample, target, ...header } = summary;
  const collections = ROLLBACK_ORDER.map((collection) => {
    const { removed, alreadyGone, failed, keptByReason } = entities[collection];
    return [collection, { removed, alreadyGone, failed, keptByReason, kept: read.kept.get(collection) }];
  });
  return { ...header, entities: oneMemberPerLine(Object.fromEntries(collections)), failures: read.failures, target };
}
