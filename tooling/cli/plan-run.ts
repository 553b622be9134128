import { resolve } from 'node:path';
import { definitionOf } from '../../src/domain/collections/index.ts';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { LegacyTable } from '../../src/domain/legacy-rows.ts';
import type { Collection } from '../../src/domain/types.ts';
import { effectiveSettings } from '../../src/pipeline/run-settings.ts';
import { FileProfiles } from '../../src/profile/file-profiles.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../src/source/connection.ts';
import { LegacyRegistry } from '../../src/source/registry.ts';
import type { Backend } from './backend.ts';
import { estimateDetail, estimateLine, estimateRun, type EstimateMode, type RunEstimate, type SourceCounts } from './estimate.ts';
import type { MigrateOptions } from './options.ts';

const PROFILES = resolve(import.meta.dirname, '../../profiles');

const defaultSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Rows per collection and sub-project, by `COUNT(*)` (no row is read), one
 * query per table and sub-project, spaced to stay under `sourceRps` queries
 * per second. The spacing is hand-written: the shared rate limiter belongs
 * to a run, and this sequential loop runs before the run starts.
 */
export async function countSource(registry: Pick<LegacyRegistry, 'listSubprojects' | 'countRows'>, customer: string, collections: readonly Collection[], sourceRps: number, sleep = defaultSleep): Promise<SourceCounts> {
  const gapMs = 1000 / sourceRps;
  const subprojects = await registry.listSubprojects(customer);
  const byTable = new Map<LegacyTable, number[]>();
  for (const table of new Set(collections.map((collection) => definitionOf(collection).table))) {
    const counts: number[] = [];
    for (const subproject of subprojects) {
      await sleep(gapMs);
      counts.push(await registry.countRows(subproject.databaseName, table));
    }
    byTable.set(table, counts);
  }
  return Object.fromEntries(collections.map((collection) => [collection, byTable.get(definitionOf(collection).table)!]));
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
  const settings = effectiveSettings(new FileProfiles(PROFILES).resolve(options.customer), options.overrides);
  const collections = settings.migrateOnlyPlanboard ? (['planboard-slots'] as Collection[]) : [...COLLECTIONS];
  const config = parseLegacyDbUrl(options.legacyDbUrl);
  const pool = createLegacyPool(config, { connectionLimit: 1 });
  try {
    const counts = await countSource(new LegacyRegistry(pool), options.customer, collections, settings.sourceRps);
    const mode = estimateModeOf(options, (await backend.runs.latestRunId(options.customer)) !== undefined);
    const estimate = estimateRun(counts, settings, mode);
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
