import type { RemovalLedger } from '../ledger/removal-ledger.ts';
import { reportKeys } from '../ledger/report-location.ts';
import type { RunRecord } from '../ledger/run-store.ts';
import type { ObjectStore } from '../pipeline/object-store.ts';
import { ROLLBACK_ORDER } from './constants.ts';
import { renderRollbackHtml } from './rollback-html.ts';
import type { RemovableCollection, RollbackReport } from './types.ts';

/** Where a rollback's report lives in the bucket (and, locally, under reports/): beside a migration's, under its own run id. */
export function rollbackReportKeys(customer: string, runId: string): { json: string; html: string } {
  const { folder } = reportKeys(customer, runId);
  return { json: `${folder}/rollback.json`, html: `${folder}/rollback.html` };
}

/**
 * Builds rollback.json and rollback.html from a rollback's outcome items
 * (the by-run index, a page at a time) and the closed run record, and puts
 * both in the bucket.
 */
export class RollbackReportWriter {
  public constructor(
    private readonly ledger: Pick<RemovalLedger, 'outcomesOfRun'>,
    private readonly store: Pick<ObjectStore, 'put' | 'uri'>,
  ) {}

  /** Writes the report of the closed `run`; returns it with its keys. */
  public async write(run: RunRecord): Promise<{ report: RollbackReport; keys: { json: string; html: string } }> {
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
    return { report, keys };
  }
}
