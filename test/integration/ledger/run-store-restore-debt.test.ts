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

  it('keeps the first e-mail setting recorded until it is marked restored', async () => {
    expect(await runs.keepEmailToRestore('acme', true)).to.equal(true);
    expect(await runs.keepEmailToRestore('acme', false), 'a later run found e-mail off because of the first').to.equal(true);
    expect(await runs.restoreDebt('acme')).to.include({ emailEnabled: true });
    await runs.markEmailRestored('acme');
    expect(await runs.restoreDebt('acme')).to.not.have.property('emailEnabled');
    expect(await runs.keepEmailToRestore('acme', false)).to.equal(false);
  });
});
