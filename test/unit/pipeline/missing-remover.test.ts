import { expect } from 'chai';
import type { LedgerEntry, LedgerKey } from '../../../src/ledger/types.ts';
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

/** A remover over the run's entries, answering DELETEs with `answer`; returns what it recorded. */
function aRemover(entries: LedgerEntry[], target: FakeFiberConnect) {
  const recorded: [string, string, string?][] = [];
  const remover = new MissingRemover({
    ledger: {
      entriesOfRun: async function* () {
        yield* entries;
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
});
