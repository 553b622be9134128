import type { Pool } from 'mysql2/promise';
import type { LegacyDbConfig } from '../../src/source/index.ts';
import { SUBPROJECT_LAYOUT } from './constants.ts';
import { generateSubproject, subprojectDatabase } from './generator.ts';
import { buildManifest, summarizeSubproject } from './manifest.ts';
import type { SubprojectSummary } from './manifest.ts';
import type { SeedManifest, SeedOptions } from './types.ts';
import { SeedWriter } from './writer.ts';
import type { SeedWriterOptions, TableCounts } from './writer.ts';

/** What one seed wrote. */
export interface SeedResult {
  manifest: SeedManifest;
  /** Rows written per table, per sub-project database. */
  counts: Record<string, TableCounts>;
  /** Databases dropped before writing (the customer's own only). */
  dropped: string[];
}

/**
 * Replaces one customer's legacy databases with freshly generated ones and
 * predicts the migration's report. Sub-projects are generated, summarised and
 * written one at a time, so memory holds one database's rows at most.
 */
export async function seedCustomer(pool: Pool, config: LegacyDbConfig, options: SeedOptions, writerOptions: SeedWriterOptions = {}): Promise<SeedResult> {
  const writer = new SeedWriter(pool, config, writerOptions);
  await writer.ensureRegistry();
  const databases = SUBPROJECT_LAYOUT.map((layout) => subprojectDatabase(options.customer, layout.label));
  const dropped = await writer.dropCustomer(options.customer, databases);
  const summaries: SubprojectSummary[] = [];
  const counts: Record<string, TableCounts> = {};
  for (const layout of SUBPROJECT_LAYOUT) {
    const sub = generateSubproject(options, layout);
    summaries.push(summarizeSubproject(sub));
    counts[sub.spec.database] = await writer.writeSubproject(options.customer, sub);
  }
  return { manifest: buildManifest(options, summaries), counts, dropped };
}
