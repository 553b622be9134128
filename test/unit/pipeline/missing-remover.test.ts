import { expect } from 'chai';
import type { LedgerEntry, LedgerKey } from '../../../src/ledger/types.ts';
import { DeleteMissingRefusedError } from '../../../src/pipeline/errors.ts';
import { MissingRemover } from '../../../src/pipeline/missing-remover.ts';
import { FakeFiberConnect, refused } from '../../helpers/fake-fiberconnect.ts';

const entry = (id: number, overrides: Partial<LedgerEntry> = {}): LedgerEntry => ({
  customer: 'demo',
  collection: 'planboard-slots',
  externalRef: `db:planboard_slots:${id}`,
  status: 'migrated',
  runId: 'run-2',
  delta: 'deletedInSource',
  targetId: `pbs_${id}`,
  targetVersion: 2,
  attempts: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

/** A remover over the run's entries (and the rows its producers read per collection), answering DELETEs with `answer`; returns what it recorded. */
function aRemover(entries: LedgerEntry[], target: FakeFiberConnect, rows: Record<string, number> = {}) {
  const recorded: [string, string, string?][] = [];
  const remover = new MissingRemover({
    ledger: {
      entriesOfRun: async function* (_runId: string, collection: string) {
        yield* entries.filter((candidate) => candidate.collection === collection);
      },
      recordRemoval: async (key: LedgerKey, _runId: string, outcome: { status: string; reason?: string }) => {
        recorded.push([key.externalRef, outcome.status, ...(outcome.reason ? [outcome.reason] : [])] as [string, string, string?]);
        return true;
      },
    },
    runs: {
      getRun: async (customer: string, runId: string) => ({
        customer,
        runId,
        startedAt: '2026-01-01T00:00:00.000Z',
        status: 'RUNNING' as const,
        options: {},
        databases: ['db'],
      }),
      progress: async () => Object.fromEntries(Object.entries(rows).map(([collection, count]) => [collection, { rows: count }])) as never,
    },
    targetClient: async () => target,
  });
  return { remover, recorded };
}

const SCOPE = { customer: 'demo', runId: 'run-2', collection: 'planboard-slots' as const, targetRps: 10 };

describe('MissingRemover (DELETE_MISSING) on in-memory fakes', () => {
  it("deletes only the run's records gone from the source, each with If-Match of the last version; a 404 counts as deleted", async () => {
    const target = new FakeFiberConnect((request) =>
      request.path.endsWith('pbs_2') ? refused(404, 'not_found') : { status: 204, body: undefined, replayed: false },
    );
    const { remover, recorded } = aRemover([entry(1), entry(2), entry(3, { delta: 'updated' }), entry(4, { delta: 'deleted', status: 'removed' })], target);

    const step = await remover.remove(SCOPE, Number.POSITIVE_INFINITY);

    expect(step).to.deep.equal({ done: true, deleted: 2, kept: 0 });
    expect(target.requests.map((r) => [r.method, r.path, r.headers?.['If-Match']])).to.deep.equal([
      ['DELETE', '/v1/planboard-slots/pbs_1', '"2"'],
      ['DELETE', '/v1/planboard-slots/pbs_2', '"2"'],
    ]);
    expect(recorded).to.deep.equal([
      ['db:planboard_slots:1', 'deleted'],
      ['db:planboard_slots:2', 'deleted'],
    ]);
  });

  it('keeps a record a person changed (412, target_changed) or put children under (409 has_children)', async () => {
    const target = new FakeFiberConnect((request) => (request.path.endsWith('pbs_1') ? refused(412, 'version_mismatch') : refused(409, 'has_children')));
    const { remover, recorded } = aRemover([entry(1), entry(2)], target);

    expect(await remover.remove(SCOPE, Number.POSITIVE_INFINITY)).to.deep.equal({ done: true, deleted: 0, kept: 2 });
    expect(recorded).to.deep.equal([
      ['db:planboard_slots:1', 'kept', 'target_changed'],
      ['db:planboard_slots:2', 'kept', 'has_children'],
    ]);
  });

  it('stops once its deadline has passed and says it is not done, so the workflow calls it again', async () => {
    const target = new FakeFiberConnect(() => ({ status: 204, body: undefined, replayed: false }));
    const { remover } = aRemover([entry(1)], target);

    expect(await remover.remove(SCOPE, Date.now() - 1)).to.deep.equal({ done: false, deleted: 0, kept: 0 });
    expect(target.requests).to.have.length(0);
  });

  describe('its guard: never more than a share of a collection', () => {
    const gone = (collection: LedgerEntry['collection'], count: number): LedgerEntry[] =>
      Array.from({ length: count }, (_, index) => entry(index, { collection, externalRef: `db:${collection}:${index}` }));

    it('refuses in one line naming every collection over the share, and deletes nothing', async () => {
      const target = new FakeFiberConnect(() => ({ status: 204, body: undefined, replayed: false }));
      const { remover } = aRemover([...gone('work-orders', 35), ...gone('connections', 12), ...gone('projects', 1)], target, {
        'work-orders': 85,
        connections: 28,
        projects: 99,
      });
      const error = await remover.checkShare({ customer: 'demo', runId: 'run-2' }, 0.1).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error).to.be.instanceOf(DeleteMissingRefusedError);
      expect(error!.message).to.equal(
        "DELETE_MISSING refused, nothing was deleted: it would delete 35 of 120 work-orders (29.2%), 12 of 40 connections (30%), more than the 10% of a collection allowed (the profile's runOptions.deleteMissingMaxShare); check that FiberPlan is complete, or allow it for one run with DELETE_MISSING_MAX=<share from 0 to 1>",
      );
      expect(target.requests).to.deep.equal([]);
    });

    it('lets through what is within the share (a collection at exactly the share too), and a larger share when the run allows it', async () => {
      const target = new FakeFiberConnect(() => ({ status: 204, body: undefined, replayed: false }));
      const { remover } = aRemover([...gone('work-orders', 10), ...gone('documents', 3)], target, { 'work-orders': 90, documents: 3 });
      const error = await remover.checkShare({ customer: 'demo', runId: 'run-2' }, 0.1).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error!.message).to.match(/it would delete 3 of 6 documents \(50%\), more than/);
      const shares = await remover.checkShare({ customer: 'demo', runId: 'run-2' }, 0.5);
      expect(shares.filter((share) => share.gone > 0)).to.deep.equal([
        { collection: 'documents', gone: 3, total: 6 },
        { collection: 'work-orders', gone: 10, total: 100 },
      ]);
    });
  });
});
