import { type Collection, COLLECTIONS } from '../domain/index.ts';
import { BALANCE_FIGURES } from './constants.ts';
import { databaseOf } from './rules.ts';
import type { StoredFigures, VerifyCounts, VerifyFinding, VerifyList, VerifySummary } from './types.ts';

/** A sub-project's figures and how many records of it each list holds. */
type SubprojectCounts = VerifyCounts & Record<VerifyList, number>;

const emptyCounts = (): SubprojectCounts => ({
  source: 0,
  migrated: 0,
  skipped: 0,
  failed: 0,
  notYetRun: 0,
  listed: 0,
  ledgerMigrated: 0,
  missing: 0,
  stray: 0,
  changedInTarget: 0,
  changedInSource: 0,
});

/**
 * A verification's figures summed per collection and sub-project as the
 * steps' pages and the lists' records pass: small whatever the number of
 * records (one row of counts per sub-project).
 */
export class VerifyTally {
  readonly #subprojects = new Map<Collection, Map<string, SubprojectCounts>>(COLLECTIONS.map((collection) => [collection, new Map()]));

  /** Adds one step's figures of one page. */
  public addFigures(figures: StoredFigures): void {
    const counts = this.countsOf(figures.collection, figures.database);
    for (const name of BALANCE_FIGURES) counts[name] += figures.balance?.[name] ?? 0;
    counts.listed += figures.listed ?? 0;
    counts.ledgerMigrated += figures.ledgerMigrated ?? 0;
  }

  /** Counts a record of a list against the sub-project its externalRef names. */
  public addFinding(collection: Collection, list: VerifyList, finding: VerifyFinding): void {
    this.countsOf(collection, databaseOf(finding.externalRef))[list] += 1;
  }

  /** A collection as verify.html shows it: its totals, each list's count and first records, and its sub-projects by name. */
  public entity(collection: Collection, lists: Record<VerifyList, { count: number; sample: VerifyFinding[] }>): VerifySummary['entities'][Collection] {
    const subprojects = Object.fromEntries([...this.#subprojects.get(collection)!].sort(([a], [b]) => a.localeCompare(b)));
    const totals = emptyCounts();
    for (const counts of Object.values(subprojects)) for (const name of Object.keys(totals) as (keyof SubprojectCounts)[]) totals[name] += counts[name];
    const { missing: _m, stray: _s, changedInTarget: _t, changedInSource: _c, ...figures } = totals;
    return { ...figures, ...lists, subprojects };
  }

  private countsOf(collection: Collection, database: string): SubprojectCounts {
    const map = this.#subprojects.get(collection)!;
    let counts = map.get(database);
    if (!counts) map.set(database, (counts = emptyCounts()));
    return counts;
  }
}
