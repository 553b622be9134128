import { expect } from 'chai';
import { Ledger } from '../../../src/ledger/ledger.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';

const key = (externalRef: string) => ({ customer: 'acme', collection: 'contractors' as const, externalRef });

describe('the ledger of delta runs on DynamoDB (dynalite)', () => {
  let tables: TestTables;
  let ledger: Ledger;

  before(async () => {
    tables = await startTestTables();
    ledger = new Ledger(tables.db, tables.names.ledger);
    // Ids whose text order differs from their numeric order (10 < 9 as text), in two sub-projects.
    for (const [database, ids] of [
      ['fp_a', [1, 2, 9, 10, 11, 100]],
      ['fp_b', [5, 10]],
    ] as const) {
      for (const id of ids)
        await ledger.recordOutcome(key(`${database}:contractors:${id}`), 'run-1', {
          status: 'migrated',
          targetId: `cnt_${database}_${id}`,
          targetVersion: 1,
          migratedChecksum: 'c',
        });
    }
    await ledger.recordOutcome(key('fp_a:contractors:3'), 'run-1', { status: 'failed', code: 'invalid_value', message: 'x' });
  });
  after(async () => tables.close());

  it('finds the migrated entries of one sub-project in a numeric id range (afterId, lastId] with one Query of the by-source-id index, whatever their text order', async () => {
    const refs = async (afterId: number, lastId: number, database = 'fp_a') =>
      (await ledger.migratedInIdRange('acme', 'contractors', database, afterId, lastId)).map((e) => e.externalRef);
    expect(await refs(1, 10)).to.deep.equal(['fp_a:contractors:2', 'fp_a:contractors:9', 'fp_a:contractors:10']);
    expect(await refs(10, 1_000)).to.deep.equal(['fp_a:contractors:11', 'fp_a:contractors:100']);
    expect(await refs(0, 1_000, 'fp_b')).to.deep.equal(['fp_b:contractors:5', 'fp_b:contractors:10']);
    expect(await refs(2, 3), 'a failed entry was never in the target').to.deep.equal([]);
    expect(await refs(5, 5)).to.deep.equal([]);
  });

  it("keeps a delta's update of a migrated entry migrated whatever its outcome, and a failed update keeps the last target id and version", async () => {
    await ledger.recordUpdate(key('fp_a:contractors:1'), 'run-2', { status: 'failed', code: 'target_changed', message: 'a person changed it' });
    let entry = (await ledger.getMany('acme', 'contractors', ['fp_a:contractors:1'])).get('fp_a:contractors:1')!;
    expect(entry).to.include({
      status: 'migrated',
      delta: 'failed',
      code: 'target_changed',
      targetId: 'cnt_fp_a_1',
      targetVersion: 1,
      migratedChecksum: 'c',
      runId: 'run-2',
    });
    await ledger.recordUpdate(key('fp_a:contractors:1'), 'run-3', { status: 'updated', targetVersion: 2, fieldHashes: { name: 'n' }, migratedChecksum: 'd' });
    entry = (await ledger.getMany('acme', 'contractors', ['fp_a:contractors:1'])).get('fp_a:contractors:1')!;
    expect(entry).to.include({ status: 'migrated', delta: 'updated', targetVersion: 2, migratedChecksum: 'd' });
    expect(entry.code).to.equal(undefined);
    expect(
      await ledger.recordUpdate(key('fp_a:contractors:3'), 'run-3', { status: 'unchanged', migratedChecksum: 'e' }),
      'no update of a record that is not migrated',
    ).to.equal(false);
  });

  it("lists a record gone from the source in the run's index, and once deleted it is removed (not migrated) with a new generation", async () => {
    const [gone] = await ledger.migratedInIdRange('acme', 'contractors', 'fp_b', 0, 5);
    await ledger.markDeletedInSource('run-4', [gone!]);
    const listed = [];
    for await (const entry of ledger.entriesOfRun('run-4', 'contractors', ['fp_b'])) listed.push(entry);
    expect(listed.map((e) => [e.externalRef, e.status, e.delta])).to.deep.equal([['fp_b:contractors:5', 'migrated', 'deletedInSource']]);
    expect(await ledger.recordRemoval(key('fp_b:contractors:5'), 'run-4', { status: 'deleted' })).to.equal(true);
    const entry = (await ledger.getMany('acme', 'contractors', ['fp_b:contractors:5'])).get('fp_b:contractors:5')!;
    expect(entry).to.include({ status: 'removed', delta: 'deleted', generation: 1 });
    expect(await ledger.migratedInIdRange('acme', 'contractors', 'fp_b', 0, 5)).to.deep.equal([]);
  });
});
