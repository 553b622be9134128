import { expect } from 'chai';
import { RunLockedError } from '../../../src/control/errors.ts';
import { RunLock } from '../../../src/control/run-lock.ts';
import type { LockHolder, LockKey } from '../../../src/control/types.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';

const execution = (runId: string) => `arn:aws:states:eu-west-1:000000000000:execution:fiberplan-migration-test-migration:${runId}`;
const holder = (runId: string, customer = 'acme'): LockHolder => ({
  customer,
  runId,
  kind: 'migration',
  executionArn: execution(runId),
  startedAt: '2026-12-01T08:00:00.000Z',
});
const ACME: LockKey = { scope: 'customer', name: 'acme' };
const TENANT: LockKey = { scope: 'tenant', name: 'lumen' };

async function refusal(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('the lock was taken'),
    (error: unknown) => error as Error,
  );
}

describe('run locks in the run table on DynamoDB (dynalite): conditional writes, stale holders taken over', () => {
  let tables: TestTables;
  /** Executions that still run, as Step Functions would answer DescribeExecution. */
  const running = new Set<string>();
  let locks: RunLock;

  before(async () => {
    tables = await startTestTables();
    locks = new RunLock(tables.db, tables.names.runs, async (arn) => running.has(arn));
  });
  after(async () => tables.close());
  beforeEach(() => running.clear());

  it('takes a free lock, lets its own run take it again (a retried step), and refuses another run while the holder runs, naming it', async () => {
    running.add(execution('run-1'));
    expect(await locks.acquire([ACME], holder('run-1'))).to.deep.equal([]);
    expect(await locks.acquire([ACME], holder('run-1'))).to.deep.equal([]);
    const error = await refusal(locks.acquire([ACME], holder('run-2')));
    expect(error).to.be.instanceOf(RunLockedError);
    expect(error.message).to.match(/^customer acme: run run-1 \(migration of acme, started 2026-12-01T08:00:00.000Z\) is still going; a second run is refused/);
    expect((await locks.holder(ACME))?.holder.runId).to.equal('run-1');
    await locks.release([ACME], 'run-1');
  });

  it("takes over a lock whose holder's execution no longer runs, and answers the stale holder", async () => {
    await locks.acquire([ACME], holder('crashed'));
    expect(await locks.holder(ACME)).to.deep.include({ running: false });
    const stale = await locks.acquire([ACME], holder('run-2'));
    expect(stale.map((h) => h.runId)).to.deep.equal(['crashed']);
    expect((await locks.holder(ACME))?.holder.runId).to.equal('run-2');
    await locks.release([ACME], 'run-2');
  });

  it('is given back only by the run that holds it: a run that was taken over releases nothing', async () => {
    await locks.acquire([ACME], holder('old'));
    await locks.acquire([ACME], holder('new'));
    await locks.release([ACME], 'old');
    expect((await locks.holder(ACME))?.holder.runId).to.equal('new');
    await locks.release([ACME], 'new');
    expect(await locks.holder(ACME)).to.equal(undefined);
  });

  it("refuses a customer whose tenant another customer's run holds, and keeps none of the locks it had taken", async () => {
    running.add(execution('north-1'));
    await locks.acquire([{ scope: 'customer', name: 'lumen-north' }, TENANT], holder('north-1', 'lumen-north'));
    const error = await refusal(locks.acquire([{ scope: 'customer', name: 'lumen-south' }, TENANT], holder('south-1', 'lumen-south')));
    expect(error.message).to.match(/^customer lumen-south shares FiberConnect tenant lumen with customer lumen-north, and run north-1 /);
    expect(await locks.holder({ scope: 'customer', name: 'lumen-south' })).to.equal(undefined);
    await locks.release([{ scope: 'customer', name: 'lumen-north' }, TENANT], 'north-1');
  });

  it('lets exactly one of two starts at once take a free lock', async () => {
    const starts = ['a', 'b', 'c', 'd'].map((runId) => {
      running.add(execution(runId));
      return locks.acquire([{ scope: 'customer', name: 'race' }], holder(runId, 'race')).then(
        () => runId,
        () => undefined,
      );
    });
    expect((await Promise.all(starts)).filter(Boolean)).to.have.length(1);
  });
});
