import { expect } from 'chai';
import { parseMigrateEnv } from '../../../tooling/cli/options.ts';
import { summaryTable } from '../../../tooling/cli/summary.ts';
import { syntheticSummary } from '../../helpers/report-records.ts';

describe('a delta run as the operator sees it', () => {
  it('takes DELETE_MISSING=1 as the deleteMissing run option', () => {
    expect(parseMigrateEnv({ CUSTOMER: 'acme', DELETE_MISSING: '1' }).overrides).to.deep.equal({ deleteMissing: true });
    expect(() => parseMigrateEnv({ CUSTOMER: 'acme', DELETE_MISSING: 'all' })).to.throw(/DELETE_MISSING must be 1 or 0/);
  });

  it('takes DELETE_MISSING_MAX as the share of a collection DELETE_MISSING may delete, refusing one outside 0 to 1 with one line naming it', () => {
    expect(parseMigrateEnv({ CUSTOMER: 'acme', DELETE_MISSING: '1', DELETE_MISSING_MAX: '0.3' }).overrides).to.deep.equal({
      deleteMissing: true,
      deleteMissingMaxShare: 0.3,
    });
    expect(() => parseMigrateEnv({ CUSTOMER: 'acme', DELETE_MISSING_MAX: '1.5' })).to.throw(
      /^DELETE_MISSING_MAX: option deleteMissingMaxShare must be a number from 0 to 1$/,
    );
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
