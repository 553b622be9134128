/** An in-memory ledger as a rollback uses it: migrated entries to page through, outcome items written once, entries reset. */
import type { Collection } from '../../src/domain/types.ts';
import type { RemovalLedger } from '../../src/rollback/removal-ledger.ts';
import type { LedgerEntry } from '../../src/ledger/types.ts';
import type { RemovableCollection } from '../../src/pipeline/types.ts';
import type { RemovalOutcomeEntry } from '../../src/rollback/types.ts';

type Methods = Pick<RemovalLedger, 'migratedPage' | 'outcomesOf' | 'recordOutcome' | 'markRemoved' | 'noteUnanswered' | 'unansweredOf'>;

export class FakeRemovalLedger implements Methods {
  /** Ledger entries by `collection|externalRef`. */
  public readonly entries = new Map<string, LedgerEntry>();
  /** Outcome items by `runId|collection|externalRef`. */
  public readonly outcomes = new Map<string, RemovalOutcomeEntry>();
  public readonly calls: string[] = [];
  /** Notes of DELETEs without an answer, by `runId|collection|externalRef`. */
  public readonly unanswered = new Set<string>();

  /** Adds a migrated entry the engine created (or adopted). */
  public migrated(collection: Collection, externalRef: string, extra: Partial<LedgerEntry> = {}): void {
    this.entries.set(`${collection}|${externalRef}`, {
      customer: 'acme',
      collection,
      externalRef,
      status: 'migrated',
      runId: 'run-1',
      attempts: 1,
      targetId: `t-${externalRef}`,
      origin: 'created',
      targetVersion: 1,
      updatedAt: '',
      ...extra,
    });
  }

  public entry(collection: Collection, externalRef: string): LedgerEntry | undefined {
    return this.entries.get(`${collection}|${externalRef}`);
  }

  public async migratedPage(
    _customer: string,
    collection: Collection,
    database: string,
    limit: number,
    after?: string,
  ): Promise<{ entries: LedgerEntry[]; next?: string }> {
    const refs = [...this.entries.values()]
      .filter((e) => e.collection === collection && e.externalRef.startsWith(`${database}:`))
      .map((e) => e.externalRef)
      .sort();
    const page = refs.filter((ref) => after === undefined || ref > after).slice(0, limit);
    const last = page[page.length - 1];
    const more = last !== undefined && refs.some((ref) => ref > last);
    return { entries: page.map((ref) => this.entry(collection, ref)!).filter((e) => e.status === 'migrated'), ...(more ? { next: last } : {}) };
  }

  public async outcomesOf(
    runId: string,
    _customer: string,
    collection: Collection,
    externalRefs: readonly string[],
  ): Promise<Map<string, RemovalOutcomeEntry>> {
    return new Map(
      externalRefs.flatMap((ref) => {
        const o = this.outcomes.get(`${runId}|${collection}|${ref}`);
        return o ? [[ref, o] as const] : [];
      }),
    );
  }

  public async recordOutcome(runId: string, _customer: string, collection: RemovableCollection, outcome: RemovalOutcomeEntry): Promise<boolean> {
    const key = `${runId}|${collection}|${outcome.externalRef}`;
    if (this.outcomes.has(key)) return false;
    this.outcomes.set(key, outcome);
    return true;
  }

  public async noteUnanswered(runId: string, _customer: string, collection: RemovableCollection, externalRef: string): Promise<void> {
    this.unanswered.add(`${runId}|${collection}|${externalRef}`);
  }

  public async unansweredOf(runId: string, _customer: string, collection: RemovableCollection, externalRefs: readonly string[]): Promise<Set<string>> {
    return new Set(externalRefs.filter((ref) => this.unanswered.has(`${runId}|${collection}|${ref}`)));
  }

  public async markRemoved(runId: string, _customer: string, collection: Collection, externalRef: string, targetId?: string): Promise<boolean> {
    this.calls.push(`markRemoved ${collection} ${externalRef}`);
    const entry = this.entry(collection, externalRef);
    if (!entry || entry.status !== 'migrated' || (targetId !== undefined && entry.targetId !== targetId)) return false;
    const { targetId: _t, origin: _o, targetVersion: _v, fieldHashes: _f, migratedChecksum: _m, ...rest } = entry;
    this.entries.set(`${collection}|${externalRef}`, {
      ...rest,
      status: 'removed',
      removedBy: runId,
      ...(targetId ? { generation: (entry.generation ?? 0) + 1 } : {}),
    });
    return true;
  }
}
