import { expect } from 'chai';
import { RunStore } from '../../../src/ledger/run-store.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';

describe('what is still to restore, in the run table on DynamoDB (dynalite)', () => {
  let tables: TestTables;
  let runs: RunStore;

  before(async () => {
    tables = await startTestTables();
    runs = new RunStore(tables.db, tables.names.runs);
  });
  after(async () => tables.close());

  it('starts empty, merges the workflows of several runs, and takes off only those restored', async () => {
    expect(await runs.restoreDebt('acme')).to.deep.equal({ workflowIds: [] });
    await runs.addWorkflowsToRestore('acme', ['wfl_b', 'wfl_a']);
    await runs.addWorkflowsToRestore('acme', []);
    await runs.addWorkflowsToRestore('acme', ['wfl_c', 'wfl_a']);
    expect(await runs.restoreDebt('acme')).to.deep.equal({ workflowIds: ['wfl_a', 'wfl_b', 'wfl_c'] });
    await runs.markWorkflowsRestored('acme', ['wfl_a', 'wfl_c']);
    expect(await runs.restoreDebt('acme')).to.deep.equal({ workflowIds: ['wfl_b'] });
    await runs.markWorkflowsRestored('acme', ['wfl_b']);
    expect(await runs.restoreDebt('acme')).to.deep.equal({ workflowIds: [] });
    expect(await runs.restoreDebt('other')).to.deep.equal({ workflowIds: [] });
  });

  it('a stopped run is no longer the live one: its pointer keeps it as the latest, and a redrive of it lifts the mark', async () => {
    await runs.startRun({ customer: 'stopco', runId: 'run-1', startedAt: '2026-01-01T00:00:00Z', status: 'RUNNING', options: {} });
    await runs.startRun({ customer: 'stopco', runId: 'rb-1', startedAt: '2026-01-01T01:00:00Z', status: 'RUNNING', options: {}, kind: 'rollback' });
    expect(await runs.liveRunId('stopco', 'run')).to.equal('run-1');
    expect(await runs.markStopped('stopco', 'run', 'run-0'), 'not the latest: nothing marked').to.equal(false);
    expect(await runs.markStopped('stopco', 'run', 'run-1')).to.equal(true);
    expect(await runs.liveRunId('stopco', 'run')).to.equal(undefined);
    expect(await runs.latestRunId('stopco')).to.equal('run-1');
    expect(await runs.liveRunId('stopco', 'rollback'), 'the rollback pointer is apart').to.equal('rb-1');
    await runs.reviveRun('stopco', 'run-1');
    expect(await runs.liveRunId('stopco', 'run')).to.equal('run-1');
    await runs.markStopped('stopco', 'rollback', 'rb-1');
    expect(await runs.liveRunId('stopco', 'rollback')).to.equal(undefined);
  });

  it('keeps the first e-mail setting recorded until it is marked restored', async () => {
    expect(await runs.keepEmailToRestore('acme', true)).to.equal(true);
    expect(await runs.keepEmailToRestore('acme', false), 'a later run found e-mail off because of the first').to.equal(true);
    expect(await runs.restoreDebt('acme')).to.include({ emailEnabled: true });
    await runs.markEmailRestored('acme');
    expect(await runs.restoreDebt('acme')).to.not.have.property('emailEnabled');
    expect(await runs.keepEmailToRestore('acme', false)).to.equal(false);
  });
});
