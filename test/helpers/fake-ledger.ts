/** An in-memory ledger with the real one's rules: queued marks carry the past over, a migrated record is never turned back, and a delta's marks keep it migrated. */
import type { Collection } from '../../src/domain/types.ts';
import { sourceOrderOf } from '../../src/ledger/keys.ts';
import type { LedgerEntry, LedgerKey, RecordOutcome, UpdateOutcome } from '../../src/ledger/types.ts';
import type { PipelineLedger } from '../../src/pipeline/types.ts';

export class FakeLedger implements PipelineLedger {
  /**
   * @param calls every call in order (`getMany`, `markQueued`, `recordOutcome`, `claimIdentity`; a dry run's view prefixes them `dry `), shared with other fakes when a test passes one log.
   * @param entries entries by `customer#collection#externalRef` (a dry run's view shares its parent's map under `dry#<runId>#` keys).
   */
  public constructor(
    public readonly calls: string[] = [],
    public readonly entries = new Map<string, LedgerEntry>(),
    private readonly dryRunId?: string,
    /** A dry run's identity claims: identity → holder. */
    public readonly claims = new Map<string, string>(),
  ) {}

  public forDryRun(runId: string): FakeLedger {
    return new FakeLedger(this.calls, this.entries, runId, this.claims);
  }

  /** Entries of a dry run's namespace, by externalRef. */
  public dryEntries(runId: string): LedgerEntry[] {
    return [...this.entries].filter(([key]) => key.startsWith(`dry#${runId}#`)).map(([, entry]) => entry);
  }

  /** Entries of the real ledger (no dry run's namespace). */
  public realEntries(): LedgerEntry[] {
    return [...this.entries].filter(([key]) => !key.startsWith('dry#')).map(([, entry]) => entry);
  }

  public async claimIdentity(key: LedgerKey, identity: string): Promise<string> {
    this.calls.push(`${this.prefix()}claimIdentity ${key.externalRef}`);
    if (!this.dryRunId) throw new Error('identity claims are kept in a dry run only');
    const claim = `${this.dryRunId}#${key.customer}#${key.collection}#${identity}`;
    if (!this.claims.has(claim)) this.claims.set(claim, key.externalRef);
    return this.claims.get(claim)!;
  }

  /** Puts an entry as an earlier run or delivery left it. */
  public seed(entry: Pick<LedgerEntry, 'customer' | 'collection' | 'externalRef' | 'status' | 'runId'> & Partial<LedgerEntry>): void {
    this.entries.set(this.keyOf(entry), { attempts: 1, updatedAt: '2026-01-01T00:00:00.000Z', ...entry });
  }

  public entry(customer: string, collection: Collection, externalRef: string): LedgerEntry | undefined {
    return this.entries.get(this.keyOf({ customer, collection, externalRef }));
  }

  public async getMany(customer: string, collection: Collection, externalRefs: readonly string[]): Promise<Map<string, LedgerEntry>> {
    this.calls.push(`${this.prefix()}getMany ${collection} ${externalRefs.length}`);
    const found = new Map<string, LedgerEntry>();
    for (const externalRef of externalRefs) {
      const entry = this.entry(customer, collection, externalRef);
      if (entry) found.set(externalRef, { ...entry });
    }
    return found;
  }

  public async markQueued(runId: string, entries: readonly { key: LedgerKey; sourceChecksum: string; previous?: LedgerEntry }[]): Promise<void> {
    this.calls.push(`${this.prefix()}markQueued ${entries.map((e) => e.key.externalRef).join(',')}`);
    for (const { key, sourceChecksum, previous } of entries) {
      const state = previous?.status === 'migrated' ? { status: 'migrated' as const, delta: 'queued' as const } : { status: 'queued' as const };
      this.entries.set(this.keyOf(key), {
        ...(previous ?? {}),
        ...key,
        ...state,
        runId,
        attempts: previous?.attempts ?? 0,
        sourceChecksum,
        updatedAt: new Date().toISOString(),
      });
    }
  }

  public async markDeletedInSource(runId: string, entries: readonly LedgerEntry[]): Promise<void> {
    this.calls.push(`${this.prefix()}markDeletedInSource ${entries.map((e) => e.externalRef).join(',')}`);
    for (const entry of entries) this.entries.set(this.keyOf(entry), { ...entry, runId, delta: 'deletedInSource', updatedAt: new Date().toISOString() });
  }

  /** The real ledger's migrated entries of a sub-project with a source id in `(afterId, lastId]`, in numeric id order (the by-source-id index). */
  public async migratedInIdRange(customer: string, collection: Collection, database: string, afterId: number, lastId: number): Promise<LedgerEntry[]> {
    this.calls.push(`migratedInIdRange ${collection} ${afterId} ${lastId}`);
    const from = sourceOrderOf(`${database}::${afterId + 1}`);
    const to = sourceOrderOf(`${database}::${lastId}`);
    return [...this.entries]
      .filter(([key, entry]) => !key.startsWith('dry#') && entry.customer === customer && entry.collection === collection && entry.status === 'migrated')
      .map(([, entry]) => ({ entry, order: sourceOrderOf(entry.externalRef) }))
      .filter(({ order }) => order >= from && order <= to)
      .sort((a, b) => a.order.localeCompare(b.order))
      .map(({ entry }) => ({ ...entry }));
  }

  public async recordUpdate(key: LedgerKey, runId: string, outcome: UpdateOutcome): Promise<boolean> {
    this.calls.push(`${this.prefix()}recordUpdate ${key.externalRef} ${outcome.status}`);
    const previous = this.entries.get(this.keyOf(key));
    if (previous?.status !== 'migrated') return false;
    const { code: _code, message: _message, field: _field, value: _value, payload: _payload, ...kept } = previous;
    const written: LedgerEntry = { ...kept, delta: outcome.status, runId, attempts: previous.attempts + 1, updatedAt: new Date().toISOString() };
    if (outcome.status === 'failed')
      Object.assign(written, {
        code: outcome.code,
        message: outcome.message,
        ...(outcome.field ? { field: outcome.field } : {}),
        ...(outcome.payload !== undefined ? { payload: JSON.stringify(outcome.payload) } : {}),
      });
    else {
      written.migratedChecksum = outcome.migratedChecksum;
      if (outcome.status === 'updated') {
        written.fieldHashes = outcome.fieldHashes;
        if (outcome.targetVersion !== undefined) written.targetVersion = outcome.targetVersion;
      }
    }
    this.entries.set(this.keyOf(key), written);
    return true;
  }

  public async recordOutcome(key: LedgerKey, runId: string, outcome: RecordOutcome): Promise<boolean> {
    this.calls.push(`${this.prefix()}recordOutcome ${key.externalRef} ${outcome.status}`);
    const previous = this.entries.get(this.keyOf(key));
    if (previous?.status === 'migrated' && outcome.status !== 'migrated') return false;
    const { code: _code, message: _message, field: _field, payload: _payload, targetId: _targetId, ...kept } = previous ?? ({} as Partial<LedgerEntry>);
    const written: LedgerEntry = {
      ...kept,
      ...key,
      status: outcome.status,
      runId,
      attempts: (previous?.attempts ?? 0) + 1,
      updatedAt: new Date().toISOString(),
    };
    if (outcome.status === 'migrated') {
      delete written.delta;
      written.targetId = outcome.targetId;
      for (const name of ['origin', 'targetVersion', 'fieldHashes', 'migratedChecksum'] as const)
        if (outcome[name] !== undefined) Object.assign(written, { [name]: outcome[name] });
    } else {
      written.code = outcome.code;
      written.message = outcome.message;
      if (outcome.field) written.field = outcome.field;
      if (outcome.payload !== undefined) written.payload = JSON.stringify(outcome.payload);
    }
    this.entries.set(this.keyOf(key), written);
    return true;
  }

  public async noteTargetVersion(key: LedgerKey, targetId: string, version: number): Promise<void> {
    this.calls.push(`${this.prefix()}noteTargetVersion ${key.collection} ${key.externalRef} ${version}`);
    const entry = this.entries.get(this.keyOf(key));
    if (entry?.status === 'migrated' && entry.targetId === targetId && (entry.targetVersion === undefined || entry.targetVersion < version))
      entry.targetVersion = version;
  }

  private prefix(): string {
    return this.dryRunId ? 'dry ' : '';
  }

  private keyOf(key: LedgerKey): string {
    return `${this.dryRunId ? `dry#${this.dryRunId}#` : ''}${key.customer}#${key.collection}#${key.externalRef}`;
  }
}
