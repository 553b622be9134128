import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { close, JsonArrayFile, put } from '../ledger/json-array-file.ts';
import type { RemovalLedger } from '../ledger/removal-ledger.ts';
import { reportKeys } from '../ledger/report-location.ts';
import type { SettledCounters } from '../ledger/report-writer.ts';
import { REMOVAL_COUNTERS } from '../ledger/constants.ts';
import type { RemovalCounts, RunRecord } from '../ledger/types.ts';
import type { RunStore } from '../ledger/run-store.ts';
import type { ObjectStore } from '../pipeline/object-store.ts';
import { MAX_KEPT_IN_HTML, ROLLBACK_ORDER } from './constants.ts';
import { renderRollbackHtml } from './rollback-html.ts';
import type { RemovableCollection, RollbackSummary } from './types.ts';

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
    private readonly store: Pick<ObjectStore, 'putFile'>,
  ) {}

  /** Writes the report of the closed `run`; returns its summary, its keys and the counters it settled. */
  public async write(run: RunRecord): Promise<WrittenRollbackReport> {
    const folder = await mkdtemp(join(tmpdir(), 'rollback-report-'));
    try {
      const entities = {} as RollbackSummary['entities'];
      const kept = new Map<RemovableCollection, JsonArrayFile>();
      const failures = new JsonArrayFile(join(folder, 'failures.json'));
      const failureSample: RollbackSummary['failureSample'] = [];
      for (const collection of ROLLBACK_ORDER) {
        const counts: RollbackSummary['entities'][RemovableCollection] = { removed: 0, alreadyGone: 0, failed: 0, kept: 0, keptByReason: {}, keptSample: [] };
        entities[collection] = counts;
        const keptFile = new JsonArrayFile(join(folder, `kept-${collection}.json`));
        kept.set(collection, keptFile);
        for await (const outcome of this.ledger.outcomesOfRun(run.runId, collection, run.databases ?? [])) {
          if (outcome.result === 'kept' && outcome.reason) {
            const record = { externalRef: outcome.externalRef, targetId: outcome.targetId, reason: outcome.reason };
            await keptFile.add(record);
            counts.keptByReason[outcome.reason] = (counts.keptByReason[outcome.reason] ?? 0) + 1;
            if (counts.keptSample.length < MAX_KEPT_IN_HTML) counts.keptSample.push(record);
          } else if (outcome.result === 'failed') {
            counts.failed += 1;
            const failure = { collection, externalRef: outcome.externalRef, targetId: outcome.targetId, message: outcome.message ?? '' };
            await failures.add(failure);
            if (failureSample.length < MAX_KEPT_IN_HTML) failureSample.push(failure);
          } else if (outcome.result === 'removed' || outcome.result === 'alreadyGone') counts[outcome.result] += 1;
        }
        await keptFile.close();
        counts.kept = keptFile.count;
      }
      await failures.close();
      const settled = run.finishedAt ? await this.settle(run, entities) : [];
      const summary: RollbackSummary = {
        customer: run.customer,
        runId: run.runId,
        kind: 'rollback',
        startedAt: run.startedAt,
        finishedAt: run.finishedAt ?? new Date().toISOString(),
        status: run.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
        ...(run.previousRunId ? { previousRunId: run.previousRunId } : {}),
        ...(run.error ? { error: run.error } : {}),
        entities,
        failures: failures.count,
        failureSample,
        target: run.target ?? { workflowsRestored: false, emailRestored: false },
      };
      const jsonPath = join(folder, 'rollback.json');
      await assembleJson(jsonPath, summary, kept, failures);
      const htmlPath = join(folder, 'rollback.html');
      await writeFile(htmlPath, renderRollbackHtml(summary));
      const keys = rollbackReportKeys(run.customer, run.runId);
      // rollback.json last: whoever finds it finds the page too.
      await this.store.putFile(keys.html, htmlPath, 'text/html; charset=utf-8');
      await this.store.putFile(keys.json, jsonPath, 'application/json');
      return { summary, keys, settled };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
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

/** rollback.json (the shape of {@link RollbackReport}): the summary's figures, each collection's kept records counted by reason and listed, and the failures, streamed from their files. */
async function assembleJson(path: string, summary: RollbackSummary, kept: Map<RemovableCollection, JsonArrayFile>, failures: JsonArrayFile): Promise<void> {
  const out = createWriteStream(path);
  const { entities, failures: _count, failureSample: _sample, target, ...header } = summary;
  await put(out, `${JSON.stringify(header).slice(0, -1)},"entities":{`);
  for (const [index, collection] of ROLLBACK_ORDER.entries()) {
    const { removed, alreadyGone, failed, keptByReason } = entities[collection];
    await put(
      out,
      `${index ? ',' : ''}\n${JSON.stringify(collection)}:${JSON.stringify({ removed, alreadyGone, failed, keptByReason }).slice(0, -1)},"kept":[\n`,
    );
    await kept.get(collection)!.copyInto(out);
    await put(out, '\n]}');
  }
  await put(out, '\n},"failures":[\n');
  await failures.copyInto(out);
  await put(out, `\n],"target":${JSON.stringify(target)}}\n`);
  await close(out);
}
