import { type Collection, COLLECTIONS, InvalidInputError } from '../domain/index.ts';
import { type CollectionDefinition, definitionOf, partsOf } from '../domain/collections/index.ts';
import type { Ledger, LedgerEntry, RunStore } from '../ledger/index.ts';
import { effectiveSettings, parseRunOverrides, type RatePacer, readSourcePage, rowChecksum, type SourceQueries } from '../pipeline/index.ts';
import type { ResolvedProfile } from '../profile/index.ts';
import type { LegacyRegistry } from '../source/mysql/index.ts';
import type { FiberConnectClient } from '../target/client/index.ts';
import { FIRST_ID, LEDGER_PAGE_SIZE, TARGET_PAGE_SIZE } from './constants.ts';
import { balanceOf, changedInSource, databaseOf, isCustomerRef, judgeListed, type ListedRecord } from './rules.ts';
import type { VerifyStore } from './verify-store.ts';
import type { VerifyPage, VerifySettings } from '../handler/index.ts';
import type { BalanceFigure, VerifyFinding, VerifyList, VerifyPlan } from './types.ts';

/** What the verifier works with; injected, so tests give it fakes. */
export interface VerifierDependencies {
  ledger: Pick<Ledger, 'getMany' | 'pageOfSubproject'>;
  runs: Pick<RunStore, 'recordRun' | 'latestRunId'>;
  store: Pick<VerifyStore, 'putFigures' | 'addFindings' | 'markSeen' | 'seen'>;
  registry(): Promise<Pick<LegacyRegistry, 'listSubprojects'>>;
  profile(customer: string): Promise<ResolvedProfile>;
  /** A pool on one sub-project database. */
  sourcePool(database: string): Promise<SourceQueries>;
  /** The customer's shared source read limiter (pages per second). */
  sourceLimiter(customer: string, pagesPerSecond: number): Pick<RatePacer, 'acquire'>;
  /** The customer's FiberConnect, every request counted against the customer's target rate. */
  target(customer: string, targetRps: number): Promise<Pick<FiberConnectClient, 'call'>>;
  clock(): Date;
  /** Most document bytes one source page reads (default SOURCE_PAGE_BYTES, src/pipeline/constants.ts). */
  pageBytes?: number;
}

/** One collection's listing step, or one collection and sub-project's source or ledger step. */
export interface VerifyStepEvent {
  customer: string;
  runId: string;
  collection: Collection;
  settings: VerifySettings;
  page: VerifyPage;
}

/** Collections with a listing of their own: a part (a work-order update) is its whole's record in FiberConnect, listed with it. */
const LISTINGS = COLLECTIONS.filter((collection) => !definitionOf(collection).partOf);

/** Ledger collections a listing answers for: its own, and those of its parts (no records of their own, their version the whole's). */
const LISTED_AS: Partial<Record<Collection, Collection[]>> = Object.fromEntries(
  LISTINGS.filter((collection) => partsOf(collection).length > 0).map((collection) => [collection, [collection, ...partsOf(collection)]]),
);

/**
 * Verification (docs/verify.md): proves, with reads only, that FiberConnect
 * holds what the ledger says. Three kinds of paging step, each working until
 * a deadline and returning its cursor, so no collection's size meets a
 * Lambda timeout or the state size limit:
 *
 * - target: pages through a collection's listing (`GET /v1/C?limit&cursor`,
 *   the cheap way to see a million records), looks each page's customer
 *   records up in the ledger in bulk: `stray` and `changedInTarget`, and
 *   marks the entries it found;
 * - source: pages through a sub-project table as the producer does: the
 *   balance, and `changedInSource` from the row checksum;
 * - ledger: pages through a sub-project's ledger entries: a migrated entry
 *   no listing marked is `missing`.
 *
 * @example
 * const { verifier } = getVerification();
 * const plan = await verifier.start('acme', runId);
 * const event = { customer: 'acme', runId, collection: 'projects', settings: plan.settings, page: { done: false } } as const;
 * const targetPage = await verifier.listTarget({ ...event, databases: plan.databases }, Date.now() + 120_000);
 * const ledgerPage = await verifier.checkLedger({ ...event, database: plan.subprojects[0]! }, Date.now() + 120_000);
 * // Each step again from its page's cursor until page.done; then getVerification().reports.write(...).
 */
export class Verifier {
  public constructor(private readonly deps: VerifierDependencies) {}

  /**
   * Checks the input and records the verification as a run of its own (never
   * the customer's latest migration). Throws {@link InvalidInputError} for a
   * customer without active sub-projects or that was never migrated.
   */
  public async start(customer: string, runId: string, options?: Record<string, unknown>): Promise<VerifyPlan> {
    const run = effectiveSettings(await this.deps.profile(customer), parseRunOverrides(options));
    const registry = await this.deps.registry();
    const active = await registry.listSubprojects(customer);
    if (active.length === 0)
      throw new InvalidInputError(`customer ${customer} has no active sub-project in the registry`, { input: 'customer', issue: customer });
    const latestRunId = await this.deps.runs.latestRunId(customer);
    if (!latestRunId)
      throw new InvalidInputError(`customer ${customer} was never migrated: nothing to verify (make migrate CUSTOMER=${customer} first)`, {
        input: 'customer',
        issue: 'no run',
      });
    const all = await registry.listSubprojects(customer, { includeInactive: true });
    const settings: VerifySettings = { targetRps: run.targetRps, sourceRps: run.sourceRps, sourceBatchSize: run.sourceBatchSize };
    await this.deps.runs.recordRun({
      customer,
      runId,
      kind: 'verify',
      startedAt: this.deps.clock().toISOString(),
      status: 'RUNNING',
      options: { ...settings },
      previousRunId: latestRunId,
    });
    return {
      customer,
      runId,
      settings,
      databases: all.map((subproject) => subproject.database),
      listings: [...LISTINGS],
      collections: [...COLLECTIONS],
      subprojects: active.map((subproject) => subproject.database),
    };
  }

  /** Lists pages of one collection in FiberConnect until done or `deadline` (ms since epoch); returns where it stopped. */
  public async listTarget(event: VerifyStepEvent & { databases: string[] }, deadline: number): Promise<VerifyPage> {
    const { customer, collection } = event;
    const client = await this.deps.target(customer, event.settings.targetRps);
    const databases = new Set(event.databases);
    let cursor = event.page.cursor;
    for (;;) {
      const query = `limit=${TARGET_PAGE_SIZE}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = await client.call<{ items: ListedRecord[]; nextCursor: string | null }>({ method: 'GET', path: `/v1/${collection}?${query}` });
      const records = page.items.filter((item) => isCustomerRef(item.externalRef, databases));
      await this.judgePage(event, records, cursor ?? 'first');
      if (!page.nextCursor) return { done: true };
      cursor = page.nextCursor;
      if (Date.now() >= deadline) return { done: false, cursor };
    }
  }

  private async judgePage(event: VerifyStepEvent, records: ListedRecord[], pageKey: string): Promise<void> {
    const { customer, runId, collection } = event;
    const refs = records.map((record) => record.externalRef!);
    for (const ledgerCollection of LISTED_AS[collection] ?? [collection]) {
      const entries = await this.deps.ledger.getMany(customer, ledgerCollection, refs);
      const lists: Partial<Record<VerifyList, VerifyFinding[]>> = {};
      const seen: string[] = [];
      for (const record of records) {
        const entry = entries.get(record.externalRef!);
        // A work order's update answers only where it was migrated: the work order itself answers for the rest.
        if (ledgerCollection !== collection && entry?.status !== 'migrated') continue;
        const verdict = judgeListed(record, entry);
        if (verdict !== 'stray') seen.push(record.externalRef!);
        if (verdict !== 'same') (lists[verdict] ??= []).push({ externalRef: record.externalRef!, targetId: record.id });
      }
      await this.deps.store.markSeen(customer, runId, ledgerCollection, seen);
      for (const [list, findings] of Object.entries(lists) as [VerifyList, VerifyFinding[]][])
        await this.deps.store.addFindings(customer, runId, ledgerCollection, list, findings);
    }
    const perDatabase = new Map<string, number>();
    for (const ref of refs) perDatabase.set(databaseOf(ref), (perDatabase.get(databaseOf(ref)) ?? 0) + 1);
    for (const [database, listed] of perDatabase) await this.deps.store.putFigures(customer, runId, 'target', { collection, database }, pageKey, { listed });
  }

  /** Reads source pages of one sub-project table until done or `deadline`: the balance and `changedInSource`. */
  public async checkSource(event: VerifyStepEvent & { database: string }, deadline: number): Promise<VerifyPage> {
    const { customer, runId, collection, database, settings } = event;
    const definition = definitionOf(collection) as unknown as CollectionDefinition;
    const limiter = this.deps.sourceLimiter(customer, settings.sourceRps);
    const pool = await this.deps.sourcePool(database);
    let cursor = event.page.cursor === undefined ? FIRST_ID : Number(event.page.cursor);
    for (;;) {
      await limiter.acquire(1);
      // Documents are read as the producer reads them (by a byte budget, the same checksum), so an unchanged one is not changedInSource.
      const { rows, more } = await readSourcePage(pool, definition, {
        afterId: cursor,
        lastId: Number.MAX_SAFE_INTEGER,
        rowLimit: settings.sourceBatchSize,
        ...(this.deps.pageBytes ? { byteBudget: this.deps.pageBytes } : {}),
      });
      const pageKey = String(cursor);
      const refs = rows.map((row) => definition.externalRef(database, row as never));
      const entries = await this.deps.ledger.getMany(customer, collection, refs);
      const balance: Record<BalanceFigure, number> = { source: rows.length, migrated: 0, skipped: 0, failed: 0, notYetRun: 0 };
      const changed: VerifyFinding[] = [];
      for (const [index, row] of rows.entries()) {
        const entry = entries.get(refs[index]!);
        balance[balanceOf(entry)] += 1;
        if (changedInSource(entry, rowChecksum(row as Record<string, unknown>))) changed.push({ externalRef: refs[index]!, targetId: entry!.targetId! });
      }
      await this.deps.store.addFindings(customer, runId, collection, 'changedInSource', changed);
      await this.deps.store.putFigures(customer, runId, 'source', { collection, database }, pageKey, { balance });
      if (rows.length > 0) cursor = Number(rows[rows.length - 1]!.id);
      if (!more) return { done: true };
      if (Date.now() >= deadline) return { done: false, cursor: String(cursor) };
    }
  }

  /** Reads ledger pages of one sub-project until done or `deadline`: a migrated entry the listing did not mark is `missing`. */
  public async checkLedger(event: VerifyStepEvent & { database: string }, deadline: number): Promise<VerifyPage> {
    const { customer, runId, collection, database } = event;
    let cursor = event.page.cursor;
    for (;;) {
      const page = await this.deps.ledger.pageOfSubproject(customer, collection, database, cursor, LEDGER_PAGE_SIZE);
      const migrated = page.entries.filter((entry): entry is LedgerEntry & { targetId: string } => entry.status === 'migrated' && entry.targetId !== undefined);
      const seen = await this.deps.store.seen(
        customer,
        runId,
        collection,
        migrated.map((entry) => entry.externalRef),
      );
      const missing = migrated.filter((entry) => !seen.has(entry.externalRef)).map((entry) => ({ externalRef: entry.externalRef, targetId: entry.targetId }));
      await this.deps.store.addFindings(customer, runId, collection, 'missing', missing);
      await this.deps.store.putFigures(customer, runId, 'ledger', { collection, database }, cursor ?? 'first', { ledgerMigrated: migrated.length });
      if (page.lastRef === undefined) return { done: true };
      cursor = page.lastRef;
      if (Date.now() >= deadline) return { done: false, cursor };
    }
  }
}
