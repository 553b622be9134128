import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { Collection, FailureCode } from '../../src/domain/types.ts';
import { ReportAggregate } from '../../src/ledger/report-aggregate.ts';
import type { ReportFailure, RunSummary } from '../../src/ledger/report.ts';

/** Causes a dirty FiberPlan has, with the collections they hit (a sample of the real ones). */
const CAUSES: { code: FailureCode; field?: string; collections: Collection[] }[] = [
  { code: 'invalid_value', field: 'address.postcode', collections: ['connections'] },
  { code: 'invalid_value', field: 'address.houseNumber', collections: ['connections'] },
  { code: 'invalid_value', field: 'location.lat', collections: ['connections'] },
  { code: 'unmapped_status', field: 'status', collections: ['projects', 'connections', 'work-orders'] },
  { code: 'orphan', field: 'connectionId', collections: ['work-orders'] },
  { code: 'parent_failed', field: 'workOrderId', collections: ['documents', 'planboard-slots', 'work-order-updates'] },
  { code: 'invalid_value', field: 'email', collections: ['contractors'] },
  { code: 'checksum_mismatch', field: 'content', collections: ['documents'] },
  { code: 'invalid_value', field: 'end', collections: ['planboard-slots'] },
  { code: 'completed_project', collections: ['connections', 'work-orders'] },
];

/**
 * A run's summary as a real run of `records` rows with the share `dirt` of
 * them failed or skipped would produce it, over `subprojects` sub-projects:
 * every record passes through the aggregate, as in the report writer.
 */
export function syntheticSummary(records: number, dirt: number, subprojects = 12): RunSummary {
  const started = Date.parse('2026-11-30T08:00:00Z');
  const duration = Math.round(records / 100) * 1000;
  const aggregate = new ReportAggregate(started, started + duration);
  const perCollection = Math.floor(records / COLLECTIONS.length);
  const everyNth = Math.max(1, Math.round(1 / dirt));
  let n = 0;
  for (const collection of COLLECTIONS) {
    const causes = CAUSES.filter((cause) => cause.collections.includes(collection));
    for (let i = 0; i < perCollection; i += 1, n += 1) {
      const at = started + Math.floor((n / records) * duration);
      if (causes.length === 0 || i % everyNth !== 0) {
        aggregate.addMigrated(collection, at);
        continue;
      }
      const cause = causes[i % causes.length]!;
      const failure: ReportFailure = {
        externalRef: `fp_big_${i % subprojects}:${collection}:${i}`,
        code: cause.code,
        message: `${cause.field ?? cause.code} of record ${i} is wrong`,
        ...(cause.field ? { field: cause.field, value: `"value ${i}"` } : {}),
      };
      aggregate.addFailure(collection, cause.code === 'completed_project' ? 'skipped' : 'failed', failure, at);
    }
    const counts = aggregate.countsOf(collection);
    aggregate.setSource(collection, counts.migrated + counts.failed + counts.skipped, 0);
  }
  return {
    customer: 'big',
    runId: 'run-1m',
    status: 'SUCCEEDED',
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(started + duration).toISOString(),
    durationMs: duration,
    options: {},
    target: { workflowsRestored: true, emailRestored: true },
    throughput: aggregate.throughput(),
    fixLists: Array.from({ length: subprojects }, (_, i) => ({ database: `fp_big_${i}`, file: `fixlists/fp_big_${i}.csv`, records: 1 })),
    entities: aggregate.entities(),
  };
}
