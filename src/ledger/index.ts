/**
 * The ledger (one entry per record, typed keys, batch helpers), the run table (runs, progress,
 * restore debt) and the run report built from them.
 *
 * @packageDocumentation
 */
export { batchGetAll, batchPutAll } from './batch.ts';
export { DRY_RUN_PREFIX, MAX_SOURCE_ID, REMOVAL_COUNTERS } from './constants.ts';
export {
  entryKey,
  entryRunPartition,
  ledgerPartition,
  outcomePartition,
  parseEntryPartition,
  parseUnansweredSortKey,
  runKey,
  unansweredSortKey,
  verifyFiguresKey,
  verifyFiguresPartition,
  verifyListPartition,
  verifySeenPartition,
} from './keys.ts';
export { Ledger } from './ledger.ts';
export { itemsOfPartition } from './partition.ts';
export { reportKeys } from './report-location.ts';
export { RunReportWriter, type SettledCounters } from './report-writer.ts';
export type { CollectionReport, RunFigures, RunReport } from './report.ts';
export { runIndexItems } from './run-index.ts';
export { RunStore } from './run-store.ts';
export { createTableInput, TABLE_KEYS } from './tables.ts';
export type {
  CollectionProgress,
  LedgerEntry,
  PayloadStore,
  RangeCounts,
  RecordOutcome,
  RemovalCounts,
  RemovalProgress,
  RunPointer,
  RunRecord,
  RunWorkPartition,
  UpdateOutcome,
} from './types.ts';
