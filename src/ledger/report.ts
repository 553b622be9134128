import { COLLECTIONS } from '../domain/constants.ts';
import type { Collection, FailureCode } from '../domain/types.ts';
import type { Ledger } from './ledger.ts';
import type { RunStore } from './run-store.ts';

/** One failed or skipped record as the report lists it. */
export interface ReportFailure {
  externalRef: string;
  code: FailureCode;
  message: string;
  field?: string;
}

/** One collection's figures (CONTRACT.md 4): `source = migrated + alreadyMigrated + skipped + failed`. */
export interface CollectionReport {
  source: number;
  migrated: number;
  alreadyMigrated: number;
  skipped: number;
  failed: number;
  failures: ReportFailure[];
}

/** report.json (CONTRACT.md section 4). */
export interface RunReport {
  customer: string;
  runId: string;
  status: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: Record<string, unknown>;
  entities: Record<Collection, CollectionReport>;
  target: { workflowsRestored: boolean; emailRestored: boolean };
}

/** Message of a record that was sent but has no outcome: its message is in the dead-letter queue or was lost in flight. */
export const NO_OUTCOME_MESSAGE = 'sent to the queue but no outcome was recorded: retries used up (dead-letter queue) or lost in flight; redrive or re-run';

/**
 * Builds the run report from the ledger (every outcome of the run, exact)
 * and the producers' range figures (source and already-migrated counts).
 */
export async function buildReport(ledger: Pick<Ledger, 'entriesOfRun'>, runs: Pick<RunStore, 'getRun' | 'progress'>, customer: string, runId: string, finishedAt = new Date()): Promise<RunReport> {
  const run = await runs.getRun(customer, runId);
  if (!run) throw new Error(`no run ${runId} for customer ${customer}`);
  const progress = await runs.progress(customer, runId);
  const entities = {} as Record<Collection, CollectionReport>;
  for (const collection of COLLECTIONS) {
    const report: CollectionReport = {
      source: progress[collection]?.source ?? 0,
      migrated: 0,
      alreadyMigrated: progress[collection]?.alreadyMigrated ?? 0,
      skipped: 0,
      failed: 0,
      failures: [],
    };
    for await (const entry of ledger.entriesOfRun(runId, collection)) {
      if (entry.status === 'migrated') {
        report.migrated += 1;
        continue;
      }
      if (entry.status === 'skipped') report.skipped += 1;
      else report.failed += 1;
      const failure: ReportFailure =
        entry.status === 'queued'
          ? { externalRef: entry.externalRef, code: 'transient_exhausted', message: NO_OUTCOME_MESSAGE }
          : { externalRef: entry.externalRef, code: entry.code ?? 'rejected_by_target', message: entry.message ?? '' };
      if (entry.status !== 'queued' && entry.field) failure.field = entry.field;
      report.failures.push(failure);
    }
    report.failures.sort((a, b) => a.externalRef.localeCompare(b.externalRef));
    entities[collection] = report;
  }
  const startedAt = run.startedAt;
  const finished = run.finishedAt ?? finishedAt.toISOString();
  return {
    customer,
    runId,
    status: run.status,
    startedAt,
    finishedAt: finished,
    durationMs: Math.max(0, Date.parse(finished) - Date.parse(startedAt)),
    options: run.options,
    entities,
    target: run.target ?? { workflowsRestored: false, emailRestored: false },
  };
}
