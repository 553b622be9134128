import { expect } from 'chai';
import { VerifyProgress } from '../../../tooling/cli/verify-progress.ts';

describe("VerifyProgress (make verify's live line)", () => {
  const totals = (listed: number) => ({ listed, source: listed * 2, ledger: listed });

  it('shows a line at once, then at most one every ten seconds, and the last state at the end', () => {
    const writes: string[] = [];
    let now = 0;
    const view = new VerifyProgress({ write: (chunk: string) => writes.push(chunk) > 0 } as unknown as NodeJS.WritableStream, () => now);
    view.update('RUNNING', totals(1));
    now = 4_000;
    expect(view.due()).to.equal(false);
    view.update('RUNNING', totals(2));
    now = 6_000;
    view.update('SUCCEEDED', totals(3));
    view.stop();
    expect(writes.join('').trim().split('\n')).to.deep.equal([
      'RUNNING: 1 target records listed, 2 source rows and 1 migrated ledger entries checked',
      'SUCCEEDED: 3 target records listed, 6 source rows and 3 migrated ledger entries checked',
    ]);
  });

  it('sums the figures of every page', async () => {
    const pages = async function* () {
      yield { collection: 'projects' as const, database: 'a', listed: 4 };
      yield { collection: 'projects' as const, database: 'a', balance: { source: 7 } };
      yield { collection: 'projects' as const, database: 'a', ledgerMigrated: 3 };
    };
    expect(await VerifyProgress.totals(pages())).to.deep.equal({ listed: 4, source: 7, ledger: 3 });
  });
});
