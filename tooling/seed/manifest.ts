import { type Collection, COLLECTIONS, SKIP_CODES } from '../../src/domain/index.ts';
import { expectSubproject } from './expectation.ts';
import type { SubprojectOutcomes } from './expectation.ts';
import { generateCustomer } from './generator.ts';
import type {
  CollectionExpectation,
  Expectation,
  ExpectedFailure,
  GeneratedSubproject,
  PlantedDefect,
  SeedManifest,
  SeedOptions,
  SubprojectSpec,
} from './types.ts';

/** The predicted outcomes of one collection of one sub-project, failures only. */
interface CollectionOutcomes {
  source: number;
  migrated: number;
  failures: ExpectedFailure[];
}

/** What the manifest keeps of one sub-project once its rows are written and released. */
export interface SubprojectSummary {
  spec: SubprojectSpec;
  planted: PlantedDefect[];
  outcomes: { default: Record<Collection, CollectionOutcomes>; migrateCompletedProjects: Record<Collection, CollectionOutcomes> };
}

/** Keeps the counts and the failures: a record per migrated row would only cost memory. */
function compact(outcomes: SubprojectOutcomes): Record<Collection, CollectionOutcomes> {
  return Object.fromEntries(
    COLLECTIONS.map((collection): [Collection, CollectionOutcomes] => {
      const entry: CollectionOutcomes = { source: 0, migrated: 0, failures: [] };
      for (const [externalRef, outcome] of outcomes[collection]) {
        entry.source += 1;
        if (outcome === 'migrated') entry.migrated += 1;
        else entry.failures.push({ externalRef, code: outcome.code, ...(outcome.field ? { field: outcome.field } : {}) });
      }
      return [collection, entry];
    }),
  ) as Record<Collection, CollectionOutcomes>;
}

/** Predicts both kinds of first run for one sub-project; the rows themselves can then be released. */
export function summarizeSubproject(sub: GeneratedSubproject): SubprojectSummary {
  return {
    spec: sub.spec,
    planted: sub.planted,
    outcomes: {
      default: compact(expectSubproject(sub, { migrateCompletedProjects: false })),
      migrateCompletedProjects: compact(expectSubproject(sub, { migrateCompletedProjects: true })),
    },
  };
}

const skipCodes: ReadonlySet<string> = new Set(SKIP_CODES);

/** Adds up the outcomes of the ACTIVE sub-projects: inactive ones are never migrated, so never counted. */
function expectation(summaries: SubprojectSummary[], pick: (summary: SubprojectSummary) => Record<Collection, CollectionOutcomes>): Expectation {
  const entities = Object.fromEntries(
    COLLECTIONS.map((collection): [Collection, CollectionExpectation] => {
      const entry: CollectionExpectation = { source: 0, migrated: 0, skipped: 0, failed: 0, failures: [] };
      for (const summary of summaries.filter((s) => s.spec.active)) {
        const part = pick(summary)[collection];
        entry.source += part.source;
        entry.migrated += part.migrated;
        entry.failures.push(...part.failures);
      }
      entry.skipped = entry.failures.filter((failure) => skipCodes.has(failure.code)).length;
      entry.failed = entry.failures.length - entry.skipped;
      // Code-unit order, the same in every locale.
      entry.failures.sort((a, b) => (a.externalRef < b.externalRef ? -1 : a.externalRef > b.externalRef ? 1 : 0));
      return [collection, entry];
    }),
  ) as Record<Collection, CollectionExpectation>;
  return { entities };
}

/** The manifest of a seeded customer from the summaries of all its sub-projects. */
export function buildManifest(options: SeedOptions, summaries: SubprojectSummary[]): SeedManifest {
  return {
    customer: options.customer,
    seed: options.seed,
    scale: options.scale,
    dirt: options.dirt,
    subprojects: summaries.map((summary) => summary.spec),
    planted: summaries.flatMap((summary) => summary.planted),
    expected: {
      default: expectation(summaries, (summary) => summary.outcomes.default),
      migrateCompletedProjects: expectation(summaries, (summary) => summary.outcomes.migrateCompletedProjects),
    },
  };
}

/** Generates a customer in memory and returns its rows with their manifest (tests, small scales). */
export function generateWithManifest(options: SeedOptions): { subprojects: GeneratedSubproject[]; manifest: SeedManifest } {
  const subprojects = generateCustomer(options);
  return { subprojects, manifest: buildManifest(options, subprojects.map(summarizeSubproject)) };
}
