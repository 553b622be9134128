import { expect } from 'chai';
import type { LedgerEntry } from '../../../src/ledger/types.ts';
import { balanceOf, changedInSource, isCustomerRef, judgeListed } from '../../../src/verify/rules.ts';

const entry = (fields: Partial<LedgerEntry>): LedgerEntry => ({
  customer: 'acme',
  collection: 'projects',
  externalRef: 'fp_acme_north:projects:1',
  status: 'migrated',
  runId: 'r1',
  attempts: 1,
  updatedAt: '2026-01-01T00:00:00Z',
  ...fields,
});

describe('verification rules (src/verify/rules.ts)', () => {
  describe('a listed FiberConnect record against its ledger entry', () => {
    it('is the same when the ledger shows it migrated under its id at its version', () => {
      expect(judgeListed({ id: 'prj_1', version: 3 }, entry({ targetId: 'prj_1', targetVersion: 3 }))).to.equal('same');
    });
    it("is changedInTarget when its version differs from the engine's last write", () => {
      expect(judgeListed({ id: 'prj_1', version: 4 }, entry({ targetId: 'prj_1', targetVersion: 3 }))).to.equal('changedInTarget');
    });
    it('is the same when the ledger knows no version to compare with', () => {
      expect(judgeListed({ id: 'prj_1', version: 4 }, entry({ targetId: 'prj_1' }))).to.equal('same');
    });
    it('is stray without a ledger entry, with an entry that is not migrated, or under another id', () => {
      expect(judgeListed({ id: 'prj_1', version: 1 }, undefined)).to.equal('stray');
      expect(judgeListed({ id: 'prj_1', version: 1 }, entry({ status: 'failed' }))).to.equal('stray');
      expect(judgeListed({ id: 'prj_1', version: 1 }, entry({ status: 'queued', targetId: 'prj_1' }))).to.equal('stray');
      expect(judgeListed({ id: 'prj_2', version: 1 }, entry({ targetId: 'prj_1', targetVersion: 1 }))).to.equal('stray');
    });
  });

  describe('the customer of an externalRef', () => {
    const databases = new Set(['fp_acme_north']);
    it("is the customer's when it names one of the customer's databases", () => {
      expect(isCustomerRef('fp_acme_north:projects:7', databases)).to.equal(true);
    });
    it('is not when it names another database, a prefix of one, or is absent', () => {
      expect(isCustomerRef('fp_other_north:projects:7', databases)).to.equal(false);
      expect(isCustomerRef('fp_acme_north2:projects:7', databases)).to.equal(false);
      expect(isCustomerRef('fp_acme', databases)).to.equal(false);
      expect(isCustomerRef(undefined, databases)).to.equal(false);
    });
  });

  describe('the balance of a source row', () => {
    it('counts migrated, skipped and failed as the ledger says', () => {
      expect(balanceOf(entry({ status: 'migrated' }))).to.equal('migrated');
      expect(balanceOf(entry({ status: 'skipped' }))).to.equal('skipped');
      expect(balanceOf(entry({ status: 'failed' }))).to.equal('failed');
    });
    it('counts a row without an entry, still queued, or removed by a rollback as notYetRun', () => {
      expect(balanceOf(undefined)).to.equal('notYetRun');
      expect(balanceOf(entry({ status: 'queued' }))).to.equal('notYetRun');
      expect(balanceOf(entry({ status: 'removed' as never }))).to.equal('notYetRun');
    });
  });

  describe('a FiberPlan change since the migration', () => {
    it('is a migrated row whose checksum now differs from the one it was migrated with', () => {
      expect(changedInSource(entry({ migratedChecksum: 'a', sourceChecksum: 'a' }), 'b')).to.equal(true);
      expect(changedInSource(entry({ migratedChecksum: 'a', sourceChecksum: 'b' }), 'a')).to.equal(false);
    });
    it('falls back to the checksum it was last queued with', () => {
      expect(changedInSource(entry({ sourceChecksum: 'a' }), 'b')).to.equal(true);
      expect(changedInSource(entry({ sourceChecksum: 'a' }), 'a')).to.equal(false);
    });
    it('is never a row that is not migrated, or whose checksum was never kept', () => {
      expect(changedInSource(entry({ status: 'failed', sourceChecksum: 'a' }), 'b')).to.equal(false);
      expect(changedInSource(undefined, 'b')).to.equal(false);
      expect(changedInSource(entry({}), 'b')).to.equal(false);
    });
  });
});
