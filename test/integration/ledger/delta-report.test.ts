import { expect } from 'chai';
import { Ledger } from '../../../src/ledger/ledger.ts';
import type { RunReport } from '../../../src/ledger/report.ts';
import { RunReportWriter } from '../../../src/ledger/report-writer.ts';
import { RunStore } from '../../../src/ledger/run-store.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';
import { MemoryReportStore } from '../../helpers/report-store.ts';

const key = (id: number) => ({ customer: 'acme', collection: 'contractors' as const, externalRef: `fp_a:contractors:${id}` });

describe("a delta run's report written from the ledger (dynalite)", () => {
  let tables: TestTables;
  let ledger: Ledger;
  let runs: RunStore;

  before(async () => {
    tables = await startTestTables();
    ledger = new Ledger(tables.db, tables.names.ledger);
    runs = new RunStore(tables.db, tables.names.runs);
    // Run 1 migrated contractors 1 to 7.
    for (let id = 1; id <= 7; id += 1)
      await ledger.recordOutcome(key(id), 'run-1', { status: 'migrated', targetId: `cnt_${id}`, targetVersion: 1, migratedChecksum: 'c1' });
    const entries = await ledger.getMany(
      'acme',
      'contractors',
      [1, 2, 3, 4, 5, 6, 7].map((id) => key(id).externalRef),
    );
    const entry = (id: number) => entries.get(key(id).externalRef)!;
    // Run 2: 1 and 2 changed, 3 changed only in updated_at, 4 changed by a person too, 5 still on its way; 6 and 7 are gone from the source; 8 is new; 9 and 10 unchanged.
    await runs.startRun({ customer: 'acme', runId: 'run-2', startedAt: '2026-01-02T00:00:00.000Z', status: 'RUNNING', options: {}, databases: ['fp_a'] });
    await runs.recordRange('acme', 'run-2', 'contractors', 'fp_a#r0#0', { source: 8, alreadyMigrated: 2, queued: 6 });
    await ledger.markQueued(
      'run-2',
      [1, 2, 3, 4, 5].map((id) => ({ key: key(id), sourceChecksum: 'c2', previous: entry(id) })),
    );
    await ledger.markQueued('run-2', [{ key: key(8), sourceChecksum: 'c2' }]);
    await ledger.markDeletedInSource('run-2', [entry(6), entry(7)]);
    for (const id of [1, 2]) await ledger.recordUpdate(key(id), 'run-2', { status: 'updated', targetVersion: 2, fieldHashes: {}, migratedChecksum: 'c2' });
    await ledger.recordUpdate(key(3), 'run-2', { status: 'unchanged', migratedChecksum: 'c2' });
    await ledger.recordUpdate(key(4), 'run-2', { status: 'failed', code: 'target_changed', message: 'a person changed name' });
    await ledger.recordOutcome(key(8), 'run-2', { status: 'migrated', targetId: 'cnt_8' });
    await ledger.recordRemoval(key(6), 'run-2', { status: 'deleted' });
    await ledger.recordRemoval(key(7), 'run-2', { status: 'kept', code: 'target_changed', reason: 'target_changed', message: '412' });
    await runs.updateRun('acme', 'run-2', {
      status: 'SUCCEEDED',
      finishedAt: '2026-01-02T00:01:00.000Z',
      target: { workflowsRestored: true, emailRestored: true },
    });
  });
  after(async () => tables.close());

  it('counts created, updated, unchanged (already migrated), failed and unanswered updates once each, and lists what is gone from the source apart', async () => {
    const store = new MemoryReportStore();
    const { keys, summary } = await new RunReportWriter(ledger, runs, store).write('acme', 'run-2');
    const contractors = (JSON.parse(store.text(keys.json)) as RunReport).entities.contractors;
    expect(contractors).to.include({ source: 8, migrated: 1, updated: 2, alreadyMigrated: 3, skipped: 0, failed: 2 });
    expect(contractors.source).to.equal(contractors.migrated + contractors.updated + contractors.alreadyMigrated + contractors.skipped + contractors.failed);
    expect(contractors.failures.map((f) => [f.externalRef, f.code])).to.deep.equal([
      ['fp_a:contractors:4', 'target_changed'],
      ['fp_a:contractors:5', 'transient_exhausted'],
    ]);
    expect(contractors.deletedInSource).to.deep.equal({
      count: 2,
      deleted: 1,
      records: [
        { externalRef: 'fp_a:contractors:6', targetId: 'cnt_6', deleted: true },
        { externalRef: 'fp_a:contractors:7', targetId: 'cnt_7', deleted: false, reason: 'target_changed' },
      ],
    });
    expect(summary.entities.contractors.deletedInSource.count).to.equal(2);
    expect(store.text(keys.html)).to.include('fp_a:contractors:7').and.include('left in FiberConnect (target_changed)');
  });
});
