import type { RemovalLedger } from '../ledger/removal-ledger.ts';
import { reportKeys } from '../ledger/report-location.ts';
import type { SettledCounters } from '../ledger/report-writer.ts';
import { REMOVAL_COUNTERS, type RemovalCounts, type RunRecord, type RunStore } from '../ledger/run-store.ts';
import type { ObjectStore } from '../pipeline/object-store.ts';
import { ROLLBACK_ORDER } from './constants.ts';
import { renderRollbackHtml } from './rollback-html.ts';
import type { RemovableCollection, RollbackReport } from './types.ts';

/** Where a rollback's report lives in the bucket (and, locally, under reports/): beside a migration's, under its own run id. */
export function rollbackReportKeys(customer: string, runId: string): { json: string; html: string } {
  const { folder } = reportKeys(customer, runId);
  return { json: `${folder}/rollback.json`, html: `${folder}/rollback.html` };
}

/** What {@link RollbackReportWriter.write} wrote, and the live counters it set to the removal ledger's recount. */
export interface WrittenRollbackReport {
  report: RollbackReport;
  keys: { json: string; html: string };
  settled: SettledCounters<RemovalCounts>[];
}

/**
 * Builds rollback.json and rollback.html from a rollback's outcome items
 * (the by-run index, a page at a time) and the closed run record, and puts
 * both in the bucket. A finished rollback's live removal counters are set
 * to the recount, as a migration's are: a delivery stopped between its
 * outcome write and its counter write leaves them short.
 */
export class RollbackReportWriter {
  public constructor(
    private readonly ledger: Pick<RemovalLedger, 'outcomesOfRun'>,
    private readonly runs: Pick<RunStore, 'removalProgress' | 'settleRemovals'>,
    private readonly store: Pick<ObjectStore, 'put' | 'uri'>,
  ) {}

  /** Writes the report of the closed `run`; returns it with its keys and the counters it settled. */
  public async write(run: RunRecord): Promise<WrittenRollbackReport> {
    const entities = Object.fromEntries(ROLLBACK_ORDER.map((c) => [c, { removed: 0, alreadyGone: 0, failed: 0, kept: [] as RollbackReport['entities'][RemovableCollection]['kept'] }])) as RollbackReport['entities'];
    const failures: RollbackReport['failures'] = [];
    for (const collection of ROLLBACK_ORDER) {
      for await (const outcome of this.ledger.outcomesOfRun(run.runId, collection, run.databases ?? [])) {
        const counts = entities[collection];
        if (outcome.result === 'kept' && outcome.reason) counts.kept.push({ externalRef: outcome.externalRef, targetId: outcome.targetId, reason: outcome.reason });
        else if (outcome.result === 'failed') {
          counts.failed += 1;
          failures.push({ collection, externalRef: outcome.externalRef, targetId: outcome.targetId, message: outcome.message ?? '' });
        } else if (outcome.result === 'removed' || outcome.result === 'alreadyGone') counts[outcome.result] += 1;
      }
      entities[collection].kept.sort((a, b) => a.externalRef.localeCompare(b.externalRef));
    }
    const settled = run.finishedAt ? await this.settle(run, entities) : [];
    const report: RollbackReport = {
      customer: run.customer,
      runId: run.runId,
      kind: 'rollback',
      startedAt: run.startedAt,
      finishedAt: run.finishedAt ?? new Date().toISOString(),
      status: run.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
      ...(run.previousRunId ? { previousRunId: run.previousRunId } : {}),
      ...(run.error ? { error: run.error } : {}),
      entities,
      failures,
      target: run.target ?? { workflowsRestored: false, emailRestored: false },
    };
    const keys = rollbackReportKeys(run.customer, run.runId);
    await this.store.put(keys.json, `${JSON.stringify(report, null, 2)}\n`);
    await this.store.put(keys.html, renderRollbackHtml(report), 'text/html; charset=utf-8');
    return { report, keys, settled };
  }

  /** Sets each collection's live removal counters to the recount where they differ; a running rollback's removers may still ADD, so only a finished one's. */
  private async settle(run: RunRecord, entities: RollbackReport['entities']): Promise<SettledCounters<RemovalCounts>[]> {
    const progress = await this.runs.removalProgress(run.customer, run.runId);
    const settled: SettledCounters<RemovalCounts>[] = [];
    for (const collection of ROLLBACK_ORDER) {
      const { removed, alreadyGone, failed, kept } = entities[collection];
      const ledger: RemovalCounts = { removed, alreadyGone, kept: kept.length, failed };
      if (REMOVAL_COUNTERS.every((name) => (progress[collection]?.[name] ?? 0) === ledger[name])) continue;
      settled.push({ collection, live: await this.runs.settleRemovals(run.customer, run.runId, collection, ledger), ledger });
    }
    return settled;
  }
}
