import { expect } from 'chai';
import { DryRunNamespace } from '../../../src/ledger/dry-run-namespace.ts';

describe("a dry run's namespace in the ledger (src/ledger/dry-run-namespace.ts)", () => {
  it('makes each write expire the retention days after it (expiresAt, epoch seconds: DynamoDB TTL)', () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0, 500);
    expect(new DryRunNamespace('dry-1', 30).expiry(now)).to.deep.equal({ expiresAt: Math.floor(now / 1000) + 30 * 86_400 });
  });

  it('adds nothing without retention days: the entries are kept', () => {
    expect(new DryRunNamespace('dry-1').expiry()).to.deep.equal({});
  });
});
