import { expect } from 'chai';
import { parseMigrateEnv } from '../../../tooling/cli/options.ts';
import { summaryTable } from '../../../tooling/cli/summary.ts';
import { syntheticSummary } from '../../helpers/report-records.ts';

describe('a delta run as the operator sees it', () => {
  it('takes DELETE_MISSING=1 as the deleteMissing run option', () => {
    expect(parseMigrateEnv({ CUSTOMER: 'acme', DELETE_MISSING: '1' }).overrides).to.deep.equal({ deleteMissing: true });
    expect(() => parseMigrateEnv({ CUSTOMER: 'acme', DELETE_MISSING: 'all' })).to.throw(/DELETE_MISSING must be 1 or 0/);
  });

  it('shows updated and deletedInSource per collection in the summary table, and what DELETE_MISSING did with the records gone from FiberPlan', () => {
    const summary = syntheticSummary(1_000, 0.05);
    Object.assign(summary.entities.connections, { updated: 12 });
    summary.entities['planboard-slots'].deletedInSource = { count: 3, deleted: 0, records: [] };
    const lines = summaryTable(summary).split('\n');
    expect(lines[0]!.split(/\s+/)).to.deep.equal(['collection', 'source', 'migrated', 'updated', 'already', 'skipped', 'failed', 'deletedInSource']);
    const connections = lines.find((line) => line.startsWith('connections'))!.split(/\s+/);
    expect(connections[3]).to.equal('12');
    expect(
      lines
        .find((line) => line.startsWith('planboard-slots'))!
        .split(/\s+/)
        .at(-1),
    ).to.equal('3');
    expect(summaryTable(summary)).to.contain(
      '3 record(s) gone from FiberPlan (deletedInSource): 0 deleted in FiberConnect, 3 left there (DELETE_MISSING=1 deletes them)',
    );
  });
});
