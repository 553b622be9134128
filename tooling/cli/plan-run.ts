import { resolve } from 'node:path';
import { definitionOf } from '../../src/domain/collections/index.ts';
import { type Collection, COLLECTIONS, type LegacyTable } from '../../src/domain/index.ts';
import { effectiveSettings } from '../../src/pipeline/index.ts';
import { FileProfiles } from '../../src/profile/index.ts';
import { createLegacyPool, LegacyRegistry, parseLegacyDbUrl } from '../../src/source/mysql/index.ts';
import type { Backend } from './backend.ts';
import type { RunStore } from '../../src/ledger/index.ts';
import { estimateDetail, estimateLine, estimateRun, type EnginePace, type EstimateMode, type RunEstimate, type SourceCounts } from './estimate.ts';
import type { MigrateOptions } from './options.ts';
import { doneOf } from './progress.ts';

const PROFILES = resolve(import.meta.dirname, '../../profiles');

const defaultSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Rows per collection and sub-project, by `COUNT(*)` (no row is read), one
 * query per table and sub-project, spaced to stay under `sourceRps` queries
 * per second. The spacing is hand-written: the shared rate limiter belongs
 * to a run, and this sequential loop runs before the run starts.
 */
export async function countSource(
  registry: Pick<LegacyRegistry, 'listSubprojects' | 'countRows'>,
  customer: string,
  collections: readonly Collection[],
  sourceRps: number,
  sleep = defaultSleep,
): Promise<SourceCounts> {
  const gapMs = 1000 / sourceRps;
  const subprojects = await registry.listSubprojects(customer);
  const byTable = new Map<LegacyTable, number[]>();
  for (const table of new Set(collections.map((collection) => definitionOf(collection).table))) {
    const counts: number[] = [];
    for (const subproject of subprojects) {
      await sleep(gapMs);
      counts.push(await registry.countRows(subproject.database, table));
    }
    byTable.set(table, counts);
  }
  return Object.fromEntries(collections.map((collection) => [collection, byTable.get(definitionOf(collection).table)!]));
}

/** Records an earlier run must have sent for its pace to say anything (a demo-sized run's start and drains outweigh its calls). */
const LEAST_CALLS_FOR_A_PACE = 1_000;

/** A run kept its rate when it sent at least this share of it: below, the engine, not the rate, set its pace. */
const KEPT_RATE_SHARE = 0.9;

/**
 * The pace of the customer's latest run (`runId`), once finished, when the
 * engine held it below its own target rate: records sent (migrated or updated) over its
 * wall time, drains and report included, as the next run will spend them.
 * Undefined when there is no such run, it sent too little to tell, or it
 * kept its rate (then the rate is the better guide). `targetRpsOf` gives the
 * rate a run's options came to. A run that mostly found records already
 * migrated (a re-run) spent its time reading, not sending: no pace either.
 */
export async function lastEnginePace(
  runs: Pick<RunStore, 'getRun' | 'progress'>,
  customer: string,
  runId: string | undefined,
  targetRpsOf: (options: Record<string, unknown>) => number,
): Promise<EnginePace | undefined> {
  const run = runId === undefined ? undefined : await runs.getRun(customer, runId);
  if (!run?.finishedAt) return undefined;
  const seconds = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
  const collections = Object.values(await runs.progress(customer, run.runId));
  const sent = collections.reduce((sum, progress) => sum + progress.migrated + progress.updated, 0);
  const done = collections.reduce((sum, progress) => sum + doneOf(progress), 0);
  if (!(seconds > 0) || sent < LEAST_CALLS_FOR_A_PACE || sent < done / 2) return undefined;
  const callsPerSecond = sent / seconds;
  return callsPerSecond < KEPT_RATE_SHARE * targetRpsOf(run.options) ? { runId: run.runId, callsPerSecond } : undefined;
}

/** A re-run when the customer already has a run on this backend or only failures are retried: the ledger skips what is done. */
export function estimateModeOf(options: MigrateOptions, hasEarlierRun: boolean): EstimateMode {
  if (options.overrides.dryRun) return 'dry-run';
  return hasEarlierRun || options.overrides.retryFailed ? 're-run' : 'migrate';
}

/**
 * Counts the customer's source and prints the estimate before the run
 * starts; undefined (and one line saying so) when the legacy database cannot
 * be read from here, as from a laptop beside a stage: the run is not held
 * up for an estimate.
 */
export async function planRun(backend: Backend, options: MigrateOptions, say: (line: string) => void): Promise<RunEstimate | undefined> {
  const profile = new FileProfiles(PROFILES).resolve(options.customer);
  const settings = effectiveSettings(profile, options.overrides);
  const collections = settings.migrateOnlyPlanboard ? (['planboard-slots'] as Collection[]) : [...COLLECTIONS];
  const config = parseLegacyDbUrl(options.legacyDbUrl);
  const pool = createLegacyPool(config, { connectionLimit: 1 });
  try {
    const counts = await countSource(new LegacyRegistry(pool), options.customer, collections, settings.sourceRps);
    const latestRunId = await backend.runs.latestRunId(options.customer);
    const mode = estimateModeOf(options, latestRunId !== undefined);
    const pace = await lastEnginePace(backend.runs, options.customer, latestRunId, (earlier) => effectiveSettings(profile, earlier).targetRps);
    const estimate = estimateRun(counts, settings, mode, pace);
    say(`estimate: ${estimateLine(estimate)}`);
    for (const line of estimateDetail(estimate)) say(line);
    return estimate;
  } catch (error) {
    say(`no estimate: the legacy database cannot be counted from here (${(error as Error).message})`);
    return undefined;
  } finally {
    await pool.end();
  }
}
