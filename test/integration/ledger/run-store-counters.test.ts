import { expect } from 'chai';
import { RunStore } from '../../../src/ledger/run-store.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';

describe("the run's outcome counters, on DynamoDB (dynalite)", () => {
  let tables: TestTables;
  let runs: RunStore;

  before(async () => {
    tables = await startTestTables();
    runs = new RunStore(tables.db, tables.names.runs);
    await runs.startRun({ customer: 'acme', runId: 'run-c', startedAt: 'a', status: 'RUNNING', options: {} });
  });
  after(async () => tables.close());

  it("counts each sub-project's outcomes apart, in the same write as the collection's, so a drain wait can compare them with what that sub-project queued", async () => {
    await runs.addOutcomes('acme', 'run-c', 'work-orders', { migrated: 7, failed: 2 }, 'fp_acme_north');
    await runs.addOutcomes('acme', 'run-c', 'work-orders', { migrated: 3, skipped: 1 }, 'fp_acme_south');
    await runs.addOutcomes('acme', 'run-c', 'work-orders', { updated: 1, unchanged: 4 }, 'fp_acme_north');
    await runs.addOutcomes('acme', 'run-c', 'work-orders', { migrated: 0 }, 'fp_acme_north');
    expect(await runs.outcomeCounts('acme', 'run-c', 'work-orders', 'fp_acme_north')).to.deep.equal({ all: 18, subproject: 14 });
    expect(await runs.outcomeCounts('acme', 'run-c', 'work-orders', 'fp_acme_south')).to.deep.equal({ all: 18, subproject: 4 });
    expect(await runs.outcomeCounts('acme', 'run-c', 'work-orders', 'fp_acme_east')).to.deep.equal({ all: 18, subproject: 0 });
    expect(await runs.outcomeCount('acme', 'run-c', 'work-orders')).to.equal(18);
    const progress = (await runs.progress('acme', 'run-c'))['work-orders'];
    expect(progress).to.deep.include({ migrated: 10, updated: 1, unchanged: 4, failed: 2, skipped: 1 });
  });

  it("counts a rollback's removals per sub-project too", async () => {
    await runs.addRemovals('acme', 'run-c', 'contractors', { removed: 2, kept: 1 }, 'fp_acme_north');
    expect(await runs.outcomeCounts('acme', 'run-c', 'contractors', 'fp_acme_north')).to.deep.equal({ all: 3, subproject: 3 });
  });

  it("sets a rollback's removal counters to a recount and returns what they were, leaving the producers' figures alone", async () => {
    await runs.recordRange('acme', 'run-c', 'connections', 'fp_acme_north#r0#0', { source: 4, alreadyMigrated: 0, queued: 4 });
    await runs.addRemovals('acme', 'run-c', 'connections', { removed: 2, failed: 1 }, 'fp_acme_north');
    const before = await runs.settleRemovals('acme', 'run-c', 'connections', { removed: 3, alreadyGone: 0, kept: 0, failed: 1 });
    expect(before).to.deep.equal({ removed: 2, alreadyGone: 0, kept: 0, failed: 1 });
    expect((await runs.removalProgress('acme', 'run-c')).connections).to.deep.equal({ source: 4, queued: 4, removed: 3, alreadyGone: 0, kept: 0, failed: 1 });
  });
});
