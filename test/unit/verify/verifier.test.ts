import { expect } from 'chai';
import { COLLECTION_DEFINITIONS } from '../../../src/domain/collections/index.ts';
import type { Collection } from '../../../src/domain/types.ts';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import type { LedgerEntry, RunRecord } from '../../../src/ledger/types.ts';
import { rowChecksum } from '../../../src/pipeline/producer.ts';
import type { ResolvedProfile } from '../../../src/profile/types.ts';
import type { TargetRequest } from '../../../src/target/types.ts';
import type { ListedRecord } from '../../../src/verify/rules.ts';
import type { PageFigures, VerifyFinding, VerifyList } from '../../../src/verify/types.ts';
import { Verifier, type VerifierDependencies } from '../../../src/verify/verifier.ts';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';
import { FakeMysqlPool } from '../../helpers/fake-mysql-pool.ts';
import { aDocument } from '../../helpers/legacy-rows.ts';

const DB = 'fp_acme_north';
const SETTINGS = { targetRps: 10, sourceRps: 5, sourceBatchSize: 2 };

const entry = (collection: Collection, id: number, fields: Partial<LedgerEntry> = {}): LedgerEntry => ({
  customer: 'acme',
  collection,
  externalRef: `${DB}:${collection === 'contractors' ? 'contractors' : 'projects'}:${id}`,
  status: 'migrated',
  runId: 'r1',
  attempts: 1,
  updatedAt: '2026-01-01T00:00:00Z',
  targetId: `id${id}`,
  targetVersion: 1,
  ...fields,
});

/** In-memory ledger, verify store, run table and target: what the verifier reads and writes, inspectable. */
function world(
  options: {
    entries?: LedgerEntry[];
    pages?: Record<string, { items: ListedRecord[]; nextCursor: string | null }>;
    rows?: Record<string, unknown>[];
    latestRunId?: string;
    pool?: FakeMysqlPool;
    pageBytes?: number;
  } = {},
) {
  const ledger = new Map<string, LedgerEntry>((options.entries ?? []).map((e) => [`${e.collection}|${e.externalRef}`, e]));
  const findings: Partial<Record<string, VerifyFinding[]>> = {};
  const seen = new Set<string>();
  const figures: { step: string; collection: string; database: string; pageKey: string; figures: PageFigures }[] = [];
  const requests: TargetRequest[] = [];
  const recorded: RunRecord[] = [];
  const deps: VerifierDependencies = {
    ledger: {
      getMany: async (_customer, collection, refs) =>
        new Map(refs.flatMap((ref) => (ledger.has(`${collection}|${ref}`) ? [[ref, ledger.get(`${collection}|${ref}`)!] as const] : []))),
      pageOfSubproject: async (_customer, collection, database, afterRef, limit) => {
        const all = [...ledger.values()]
          .filter((e) => e.collection === collection && e.externalRef.startsWith(`${database}:`))
          .sort((a, b) => (a.externalRef < b.externalRef ? -1 : 1));
        const rest = all.filter((e) => afterRef === undefined || e.externalRef > afterRef);
        const page = rest.slice(0, limit);
        return { entries: page, ...(rest.length > limit ? { lastRef: page[page.length - 1]!.externalRef } : {}) };
      },
    },
    runs: { recordRun: async (run) => void recorded.push(run), latestRunId: async () => options.latestRunId },
    store: {
      putFigures: async (_customer, _runId, step, scope, pageKey, page) => void figures.push({ step, ...scope, pageKey, figures: page }),
      addFindings: async (_customer, _runId, collection, list, found) => void (findings[`${collection}/${list}`] ??= []).push(...found),
      markSeen: async (_customer, _runId, collection, refs) => refs.forEach((ref) => seen.add(`${collection}|${ref}`)),
      seen: async (_customer, _runId, collection, refs) => new Set(refs.filter((ref) => seen.has(`${collection}|${ref}`))),
    },
    registry: async () => ({
      listSubprojects: async (_customer, opts) => [
        { id: 1, customer: 'acme', database: DB, label: null, active: true },
        ...(opts?.includeInactive ? [{ id: 2, customer: 'acme', database: 'fp_acme_old', label: null, active: false }] : []),
      ],
    }),
    profile: async () => new FileProfiles('profiles').resolve('default') as ResolvedProfile,
    ...(options.pageBytes ? { pageBytes: options.pageBytes } : {}),
    sourcePool: async () =>
      options.pool ?? {
        query: async (_sql: string, values?: unknown[]) => {
          const [afterId, , limit] = values as number[];
          return [(options.rows ?? []).filter((row) => Number(row.id) > afterId!).slice(0, limit) as never, []];
        },
      },
    sourceLimiter: () => ({ acquire: async () => [0] }),
    target: async () => ({
      call: async <T>(request: TargetRequest) => {
        requests.push(request);
        const cursor = /cursor=([^&]+)/.exec(request.path)?.[1] ?? 'first';
        return options.pages![cursor] as T;
      },
    }),
    clock: () => new Date('2026-02-01T10:00:00Z'),
  };
  const list = (collection: Collection, name: VerifyList) => findings[`${collection}/${name}`] ?? [];
  return { verifier: new Verifier(deps), list, seen, figures, requests, recorded };
}

const step = { customer: 'acme', runId: 'v1', settings: SETTINGS };

describe('Verifier (src/verify/verifier.ts) on fakes', () => {
  describe('start', () => {
    it('records the verification as a run of its own, never the latest migration, and plans every collection and sub-project', async () => {
      const w = world({ latestRunId: 'r1' });
      const plan = await w.verifier.start('acme', 'v1');
      expect(w.recorded).to.have.length(1);
      expect(w.recorded[0]).to.include({ kind: 'verify', status: 'RUNNING', previousRunId: 'r1' });
      expect(plan.databases).to.deep.equal([DB, 'fp_acme_old']);
      expect(plan.listings).to.not.include('work-order-updates');
      expect(plan.collections).to.have.length(7);
      expect(plan.subprojects).to.deep.equal([DB]);
    });
    it('refuses a customer that was never migrated, recording nothing', async () => {
      const w = world();
      const error = await w.verifier.start('acme', 'v1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(InvalidInputError);
      expect((error as Error).message).to.contain('never migrated');
      expect(w.recorded).to.deep.equal([]);
    });
  });

  describe('the target listing', () => {
    const pages = {
      first: {
        items: [
          { id: 'id1', externalRef: `${DB}:projects:1`, version: 1 },
          { id: 'id2', externalRef: `${DB}:projects:2`, version: 3 },
          { id: 'x9', externalRef: `${DB}:projects:9`, version: 1 },
        ],
        nextCursor: 'c2',
      },
      c2: {
        items: [
          { id: 'other', externalRef: 'fp_else_north:projects:1', version: 1 },
          { id: 'id3', externalRef: `${DB}:projects:3`, version: 1 },
          { id: 'nope', version: 1 },
        ],
        nextCursor: null,
      },
    };
    const entries = [entry('projects', 1), entry('projects', 2), entry('projects', 3, { targetId: 'elsewhere' })];

    it('pages with the cursor to the end, GET only', async () => {
      const w = world({ entries, pages });
      expect(await w.verifier.listTarget({ ...step, collection: 'projects', databases: [DB], page: { done: false } }, Date.now() + 60_000)).to.deep.equal({
        done: true,
      });
      expect(w.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /v1/projects?limit=500', 'GET /v1/projects?limit=500&cursor=c2']);
    });
    it("lists a record without a ledger entry, or under another id, as stray, and a changed version as changedInTarget; other customers' records are no concern", async () => {
      const w = world({ entries, pages });
      await w.verifier.listTarget({ ...step, collection: 'projects', databases: [DB], page: { done: false } }, Date.now() + 60_000);
      expect(w.list('projects', 'stray')).to.deep.equal([
        { externalRef: `${DB}:projects:9`, targetId: 'x9' },
        { externalRef: `${DB}:projects:3`, targetId: 'id3' },
      ]);
      expect(w.list('projects', 'changedInTarget')).to.deep.equal([{ externalRef: `${DB}:projects:2`, targetId: 'id2' }]);
      expect([...w.seen].sort()).to.deep.equal([`projects|${DB}:projects:1`, `projects|${DB}:projects:2`]);
    });
    it('stops at the deadline and says where, so the state machine calls it again from there', async () => {
      const w = world({ entries, pages });
      expect(await w.verifier.listTarget({ ...step, collection: 'projects', databases: [DB], page: { done: false } }, 0)).to.deep.equal({
        done: false,
        cursor: 'c2',
      });
      expect(await w.verifier.listTarget({ ...step, collection: 'projects', databases: [DB], page: { done: false, cursor: 'c2' } }, 0)).to.deep.equal({
        done: true,
      });
    });
    it("answers for a work order's migrated update too: its version is the work order's", async () => {
      const ref = `${DB}:assignments:5`;
      const w = world({
        entries: [
          { ...entry('work-orders', 5, { targetVersion: 2 }), externalRef: ref },
          { ...entry('work-order-updates', 5, { targetVersion: 2 }), externalRef: ref },
        ],
        pages: { first: { items: [{ id: 'id5', externalRef: ref, version: 3 }], nextCursor: null } },
      });
      await w.verifier.listTarget({ ...step, collection: 'work-orders', databases: [DB], page: { done: false } }, Date.now() + 60_000);
      expect(w.list('work-orders', 'changedInTarget')).to.deep.equal([{ externalRef: ref, targetId: 'id5' }]);
      expect(w.list('work-order-updates', 'changedInTarget')).to.deep.equal([{ externalRef: ref, targetId: 'id5' }]);
      expect(w.seen.has(`work-order-updates|${ref}`)).to.equal(true);
    });
  });

  describe('the ledger check', () => {
    it('lists a migrated entry the listing never marked as missing, and no entry that is not migrated', async () => {
      const w = world({
        entries: [entry('projects', 1), entry('projects', 2), entry('projects', 3, { status: 'failed', targetId: undefined })],
        pages: { first: { items: [{ id: 'id1', externalRef: `${DB}:projects:1`, version: 1 }], nextCursor: null } },
      });
      await w.verifier.listTarget({ ...step, collection: 'projects', databases: [DB], page: { done: false } }, Date.now() + 60_000);
      expect(await w.verifier.checkLedger({ ...step, collection: 'projects', database: DB, page: { done: false } }, Date.now() + 60_000)).to.deep.equal({
        done: true,
      });
      expect(w.list('projects', 'missing')).to.deep.equal([{ externalRef: `${DB}:projects:2`, targetId: 'id2' }]);
      expect(w.figures.filter((f) => f.step === 'ledger').map((f) => f.figures.ledgerMigrated)).to.deep.equal([2]);
    });
  });

  describe('the source check', () => {
    const rows = [1, 2, 3, 4, 5].map((id) => ({ id, name: `Contractor ${id}`, kvk_number: null, email: null, phone: null }));
    it('balances every source row: migrated, skipped, failed, and notYetRun for no entry or a queued one; a changed row is changedInSource', async () => {
      const w = world({
        rows,
        entries: [
          entry('contractors', 1, { migratedChecksum: rowChecksum(rows[0]!) }),
          entry('contractors', 2, { migratedChecksum: 'an older checksum' }),
          entry('contractors', 3, { status: 'failed', targetId: undefined }),
          entry('contractors', 4, { status: 'queued', targetId: undefined }),
        ],
      });
      expect(await w.verifier.checkSource({ ...step, collection: 'contractors', database: DB, page: { done: false } }, Date.now() + 60_000)).to.deep.equal({
        done: true,
      });
      const total = { source: 0, migrated: 0, skipped: 0, failed: 0, notYetRun: 0 };
      for (const { figures } of w.figures) for (const name of Object.keys(total) as (keyof typeof total)[]) total[name] += figures.balance?.[name] ?? 0;
      expect(total).to.deep.equal({ source: 5, migrated: 2, skipped: 0, failed: 1, notYetRun: 2 });
      expect(w.list('contractors', 'changedInSource')).to.deep.equal([{ externalRef: `${DB}:contractors:2`, targetId: 'id2' }]);
    });
    it('reads documents as the producer does, by a byte budget: no read passes it, and a document unchanged since its migration is not changedInSource', async () => {
      const documents = [700, 700, 200].map((size, index) => ({ ...aDocument({ id: index + 1, content: Buffer.alloc(size, index) }) }));
      // The checksums the producer took of the same rows, read the same way.
      const produced = await new FakeMysqlPool(documents).query(COLLECTION_DEFINITIONS.documents.sourceQuery, [0, 10, 10]);
      const checksums = (produced[0] as unknown as Record<string, unknown>[]).map((row, index) => rowChecksum({ ...row, content: documents[index]!.content }));
      const pool = new FakeMysqlPool(documents);
      const w = world({
        pool,
        pageBytes: 1000,
        entries: documents.map((row, index) => ({
          ...entry('documents', Number(row.id), { migratedChecksum: checksums[index]! }),
          externalRef: `${DB}:documents:${String(row.id)}`,
        })),
      });
      expect(
        await w.verifier.checkSource(
          { ...step, settings: { ...SETTINGS, sourceBatchSize: 10 }, collection: 'documents', database: DB, page: { done: false } },
          Date.now() + 60_000,
        ),
      ).to.deep.equal({ done: true });
      expect(pool.contentReads.map((read) => read.ids)).to.deep.equal([[1], [2, 3]]);
      expect(w.list('documents', 'changedInSource')).to.deep.equal([]);
      expect(w.figures.map((f) => f.figures.balance?.source)).to.deep.equal([1, 2]);
    });
    it("keys each page's figures by where the page starts, so a retried step overwrites its own", async () => {
      const w = world({ rows });
      expect(await w.verifier.checkSource({ ...step, collection: 'contractors', database: DB, page: { done: false } }, 0)).to.deep.equal({
        done: false,
        cursor: '2',
      });
      expect(
        await w.verifier.checkSource({ ...step, collection: 'contractors', database: DB, page: { done: false, cursor: '2' } }, Date.now() + 60_000),
      ).to.deep.equal({ done: true });
      expect(w.figures.map((f) => [f.pageKey, f.figures.balance?.source])).to.deep.equal([
        [String(Number.MIN_SAFE_INTEGER), 2],
        ['2', 2],
        ['4', 1],
      ]);
    });
  });
});
