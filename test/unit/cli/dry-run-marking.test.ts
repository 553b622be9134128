import { expect } from 'chai';
import { reportPage } from '../../../src/ledger/report-html.ts';
import { parseMigrateEnv } from '../../../tooling/cli/options.ts';
import { DRY_RUN_NOTE, summaryTable } from '../../../tooling/cli/summary.ts';
import { syntheticSummary } from '../../helpers/report-records.ts';

describe('a dry run as the operator sees it', () => {
  it('takes DRY_RUN=1 as the dryRun run option, and DRY_RUN=0 as a real run', () => {
    expect(parseMigrateEnv({ CUSTOMER: 'acme', DRY_RUN: '1' }).overrides).to.deep.equal({ dryRun: true });
    expect(parseMigrateEnv({ CUSTOMER: 'acme', DRY_RUN: '0' }).overrides).to.deep.equal({ dryRun: false });
    expect(() => parseMigrateEnv({ CUSTOMER: 'acme', DRY_RUN: 'maybe' })).to.throw(/DRY_RUN must be 1 or 0/);
  });

  it('marks the CLI summary and report.html of a dry run, and neither of a real run', () => {
    const real = syntheticSummary(1_000, 0.05);
    const dry = { ...real, dryRun: true as const };
    expect(summaryTable(dry).split('\n')[0]).to.equal(DRY_RUN_NOTE);
    expect(summaryTable(dry)).to.contain('untouched (dry run)').and.not.to.contain('NOT RESTORED');
    expect(summaryTable(real)).not.to.contain('DRY RUN');
    expect([...reportPage(dry)].join('')).to.contain('id="dry-run"');
    expect([...reportPage(real)].join('')).not.to.contain('id="dry-run"');
  });
});
