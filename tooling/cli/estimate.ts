import { type Collection, COLLECTIONS } from '../../src/domain/index.ts';

/**
 * What a run will do: migrate (a first run: every record counted is to be
 * sent), re-run (the ledger skips what is already migrated, without a call,
 * so the counts are an upper bound) or dry run (reads the legacy side only).
 */
export type EstimateMode = 'migrate' | 're-run' | 'dry-run';

/** The rates and page size a run works at (run options over the customer profile). */
export interface EstimateRates {
  /** Requests per second to FiberConnect. */
  targetRps: number;
  /** Keyset pages per second from the legacy database. */
  sourceRps: number;
  /** Rows per keyset page. */
  sourceBatchSize: number;
}

/**
 * The pace the customer's last run kept when the engine, not the configured
 * rate, set it (the consumers could not send faster): a better guide than
 * the rate for a run of the same backend.
 */
export interface EnginePace {
  runId: string;
  /** Records sent (migrated or updated) per second of that run's wall time. */
  callsPerSecond: number;
}

/** Rows per collection, one number per sub-project (pages are read per sub-project). */
export type SourceCounts = Partial<Record<Collection, readonly number[]>>;

/** The plan of one collection. */
export interface CollectionEstimate {
  /** Source records (rows of its table, over every sub-project). */
  records: number;
  /** FiberConnect calls: one per record (a document is one PUT of its bytes). */
  calls: number;
  /** Keyset pages from the legacy database. */
  pages: number;
  /** Seconds at the rates: the slower of its calls and its pages, since producers read while consumers send. */
  seconds: number;
}

/** The plan of a run, for a person to plan with. */
export interface RunEstimate {
  mode: EstimateMode;
  rates: EstimateRates;
  collections: Partial<Record<Collection, CollectionEstimate>>;
  /** Source records, each counted once (a work-order update re-reads a work order's assignment row). */
  records: number;
  calls: number;
  pages: number;
  seconds: number;
  /** The counts include what the ledger will skip (a re-run): the figures are at most these. */
  upperBound: boolean;
  /** Set when an earlier run's pace, below the target rate, times the calls instead of the rate. */
  pace?: EnginePace;
}

/**
 * Collections that re-read another collection's rows: `work-order-updates`
 * is the second call of every assignment (the contractor and status update
 * after the work order exists), so it adds calls, not records.
 */
const SECOND_CALL_OF: Partial<Record<Collection, Collection>> = { 'work-order-updates': 'work-orders' };

/**
 * The estimate of a run from its source counts and rates. A migration (or a
 * re-run) takes, per collection, the slower of its calls at `targetRps` (or
 * at the `pace` an earlier run kept, when slower) and its pages at
 * `sourceRps`; collections run one after the other. A dry run sends nothing:
 * its pace is the pages at `sourceRps` only.
 */
export function estimateRun(counts: SourceCounts, rates: EstimateRates, mode: EstimateMode, pace?: EnginePace): RunEstimate {
  const slower = mode !== 'dry-run' && pace !== undefined && pace.callsPerSecond > 0 && pace.callsPerSecond < rates.targetRps ? pace : undefined;
  const callsPerSecond = slower?.callsPerSecond ?? rates.targetRps;
  const collections: Partial<Record<Collection, CollectionEstimate>> = {};
  let records = 0;
  let calls = 0;
  let pages = 0;
  let seconds = 0;
  for (const collection of COLLECTIONS) {
    const perSubproject = counts[collection];
    if (!perSubproject) continue;
    const rows = perSubproject.reduce((sum, count) => sum + count, 0);
    const collectionPages = perSubproject.reduce((sum, count) => sum + Math.ceil(count / rates.sourceBatchSize), 0);
    const collectionCalls = mode === 'dry-run' ? 0 : rows;
    const readSeconds = collectionPages / rates.sourceRps;
    const collectionSeconds = Math.max(readSeconds, collectionCalls / callsPerSecond);
    collections[collection] = { records: rows, calls: collectionCalls, pages: collectionPages, seconds: collectionSeconds };
    if (!SECOND_CALL_OF[collection]) records += rows;
    calls += collectionCalls;
    pages += collectionPages;
    seconds += collectionSeconds;
  }
  return { mode, rates, collections, records, calls, pages, seconds, upperBound: mode === 're-run', ...(slower ? { pace: slower } : {}) };
}

/** A count for people: `1,270,000`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A rate for people: `100`, `0.5`. */
function formatRate(value: number): string {
  return Number.isInteger(value) ? formatCount(value) : String(Number(value.toFixed(2)));
}

/** A measured pace at the precision it has: whole calls per second from 10 up. */
function roundPace(callsPerSecond: number): number {
  return callsPerSecond >= 10 ? Math.round(callsPerSecond) : callsPerSecond;
}

/**
 * A duration at the precision a person plans with: `under 1 s`, `45 s`, `3 min 20 s`,
 * `12 min`, `3 h 32 min`, `2 d 4 h`.
 */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return 'unknown';
  const seconds = Math.round(totalSeconds);
  if (seconds === 0) return totalSeconds === 0 ? '0 s' : 'under 1 s';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 600) return seconds % 60 === 0 ? `${seconds / 60} min` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.round(seconds / 3600);
  return hours % 24 === 0 ? `${hours / 24} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * The estimate in one line, e.g. `about 1,081,000 records, 1,270,000 calls at
 * 100 requests/s: about 3 h 32 min`; a re-run says `at most`, a dry run
 * counts pages at the source rate.
 */
export function estimateLine(estimate: RunEstimate): string {
  const { rates } = estimate;
  const size = estimate.upperBound ? 'at most' : 'about';
  const duration = `${estimate.upperBound ? 'at most' : 'about'} ${formatDuration(estimate.seconds)}`;
  if (estimate.mode === 'dry-run') {
    return `dry run: ${size} ${formatCount(estimate.records)} records, ${formatCount(estimate.pages)} pages at ${formatRate(rates.sourceRps)} pages/s: ${duration}`;
  }
  const line = `${size} ${formatCount(estimate.records)} records, ${formatCount(estimate.calls)} calls at ${formatRate(rates.targetRps)} requests/s: ${duration}`;
  const readSeconds = estimate.pages / rates.sourceRps;
  const callSeconds = estimate.calls / (estimate.pace?.callsPerSecond ?? rates.targetRps);
  const paced =
    readSeconds > callSeconds
      ? ` (the legacy reads set the pace: ${formatCount(estimate.pages)} pages at ${formatRate(rates.sourceRps)} pages/s)`
      : estimate.pace
        ? ` (the engine sets the pace, not the rate: the last run, ${estimate.pace.runId}, kept ${formatRate(roundPace(estimate.pace.callsPerSecond))} calls/s)`
        : '';
  const bound = estimate.upperBound ? ' (an upper bound: the ledger skips what is already migrated, without a call)' : '';
  return `${line}${paced}${bound}`;
}

/** One line per collection under {@link estimateLine}. */
export function estimateDetail(estimate: RunEstimate): string[] {
  return COLLECTIONS.flatMap((collection) => {
    const plan = estimate.collections[collection];
    if (!plan) return [];
    const calls = estimate.mode === 'dry-run' ? '' : `, ${formatCount(plan.calls)} calls`;
    return [`  ${collection.padEnd(18)} ${formatCount(plan.records)} records${calls}, ${formatCount(plan.pages)} pages: ${formatDuration(plan.seconds)}`];
  });
}
