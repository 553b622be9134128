/** An in-memory ledger with the real one's rules: queued marks carry the past over, and a migrated record is never turned back. */
import type { Collection } from '../../src/domain/types.ts';
import type { LedgerEntry, LedgerKey, RecordOutcome } from '../../src/ledger/types.ts';
import type { PipelineLedger } from '../../src/pipeline/types.ts';

export class FakeLedger implements PipelineLedger {
  /** Entries by `customer#collection#externalRef`. */
  public readonly entries = new Map<string, LedgerEntry>();
  /** Every call in order (`getMany`, `markQueued`, `recordOutcome`), shared with other fakes when a test passes one log. */
  public constructor(public readonly calls: string[] = []) {}

  /** Puts an entry as an earlier run or delivery left it. */
  public seed(entry: Pick<LedgerEntry, 'customer' | 'collection' | 'externalRef' | 'status' | 'runId'> & Partial<LedgerEntry>): void {
    this.entries.set(keyOf(entry), { attempts: 1, updatedAt: '2026-01-01T00:00:00.000Z', ...entry });
  }

  public entry(customer: string, collection: Collection, externalRef: string): LedgerEntry | undefined {
    return this.entries.get(keyOf({ customer, collection, externalRef }));
  }

  public async getMany(customer: string, collection: Collection, externalRefs: readonly string[]): Promise<Map<string, LedgerEntry>> {
    this.calls.push(`getMany ${collection} ${externalRefs.length}`);
    const found = new Map<string, LedgerEntry>();
    for (const externalRef of externalRefs) {
      const entry = this.entry(customer, collection, externalRef);
      if (entry) found.set(externalRef, { ...entry });
    }
    return found;
  }

  public async markQueued(runId: string, entries: readonly { key: LedgerKey; sourceChecksum: string; previous?: LedgerEntry }[]): Promise<void> {
    this.calls.push(`markQueued ${entries.map((e) => e.key.externalRef).join(',')}`);
    for (const { key, sourceChecksum, previous } of entries) {
      this.entries.set(keyOf(key), { ...(previous ?? {}), ...key, status: 'queued', runId, attempts: previous?.attempts ?? 0, sourceChecksum, updatedAt: new Date().toISOString() });
    }
  }

  public async recordOutcome(key: LedgerKey, runId: string, outcome: RecordOutcome): Promise<boolean> {
    this.calls.push(`recordOutcome ${key.externalRef} ${outcome.status}`);
    const previous = this.entries.get(keyOf(key));
    if (previous?.status === 'migrated' && outcome.status !== 'migrated') return false;
    const { code: _code, message: _message, field: _field, payload: _payload, targetId: _targetId, ...kept } = previous ?? ({} as Partial<LedgerEntry>);
    const written: LedgerEntry = { ...kept, ...key, status: outcome.status, runId, attempts: (previous?.attempts ?? 0) + 1, updatedAt: new Date().toISOString() };
    if (outcome.status === 'migrated') written.targetId = outcome.targetId;
    else {
      written.code = outcome.code;
      written.message = outcome.message;
      if (outcome.field) written.field = outcome.field;
      if (outcome.payload !== undefined) written.payload = JSON.stringify(outcome.payload);
    }
    this.entries.set(keyOf(key), written);
    return true;
  }
}

function keyOf(key: LedgerKey): string {
  return `${key.customer}#${key.collection}#${key.externalRef}`;
}
