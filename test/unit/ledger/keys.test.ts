import { expect } from 'chai';
import {
  databaseOf,
  entryKey,
  entryRunPartition,
  identityPartition,
  inExternalRefOrder,
  ledgerPartition,
  outcomePartition,
  parseEntryPartition,
  parseUnansweredSortKey,
  pointerKey,
  progressKey,
  progressPartition,
  rangeKey,
  restoreDebtKey,
  runKey,
  runPartition,
  sourceOrderAt,
  sourceOrderOf,
  unansweredSortKey,
  verifyFiguresKey,
  verifyListPartition,
  verifySeenPartition,
} from '../../../src/ledger/keys.ts';
import type { EntryPartition, LedgerItemKey, RunPartition } from '../../../src/ledger/types.ts';

describe('the key scheme of the ledger and run tables', () => {
  const key = { customer: 'acme', collection: 'connections' as const, externalRef: 'fp_acme_north:aansluiting:12' };

  describe('ledger table: spread by sub-project', () => {
    it("keys a ledger entry customer#collection#database, a dry run's under dry#<runId>#, and the by-run index runId#collection#database", () => {
      expect(ledgerPartition('acme', 'connections', 'fp_acme_north')).to.equal('acme#connections#fp_acme_north');
      expect(ledgerPartition('acme', 'connections', 'fp_acme_north', 'dry-1')).to.equal('dry#dry-1#acme#connections#fp_acme_north');
      expect(runPartition('run-1', 'connections', 'fp_acme_north')).to.equal('run-1#connections#fp_acme_north');
    });

    it("reads a record's partition, primary key and by-run key off its externalRef", () => {
      expect(entryKey(key)).to.deep.equal({ pk: 'acme#connections#fp_acme_north', externalRef: key.externalRef });
      expect(entryKey(key, 'dry-1')).to.deep.equal({ pk: 'dry#dry-1#acme#connections#fp_acme_north', externalRef: key.externalRef });
      expect(entryRunPartition('run-1', key)).to.equal('run-1#connections#fp_acme_north');
    });

    it("keeps a dry run's identity claims beside its entries, under #identity", () => {
      expect(identityPartition(key, 'dry-1')).to.equal('dry#dry-1#acme#connections#fp_acme_north#identity');
    });

    it("keeps a rollback's outcomes under rollback#<runId>#, its unanswered notes under the externalRef + #unanswered", () => {
      expect(outcomePartition('rb-1', 'acme', 'connections', key.externalRef)).to.equal('rollback#rb-1#acme#connections#fp_acme_north');
      expect(unansweredSortKey(key.externalRef)).to.equal('fp_acme_north:aansluiting:12#unanswered');
      expect(parseUnansweredSortKey(unansweredSortKey(key.externalRef))).to.equal(key.externalRef);
      expect(parseUnansweredSortKey(key.externalRef)).to.equal(undefined);
    });

    it('parses an entry partition back into its parts, a dry run and its identity claims included, and nothing else', () => {
      expect(parseEntryPartition('acme#connections#fp_acme_north')).to.deep.equal({ customer: 'acme', collection: 'connections', database: 'fp_acme_north' });
      expect(parseEntryPartition(ledgerPartition('acme', 'work-orders', 'fp_b', 'dry-1'))).to.deep.equal({
        customer: 'acme',
        collection: 'work-orders',
        database: 'fp_b',
        dryRunId: 'dry-1',
      });
      expect(parseEntryPartition(identityPartition(key, 'dry-1'))).to.deep.equal({
        customer: 'acme',
        collection: 'connections',
        database: 'fp_acme_north',
        dryRunId: 'dry-1',
      });
      expect(parseEntryPartition(outcomePartition('rb-1', 'acme', 'connections', key.externalRef))).to.equal(undefined);
      expect(parseEntryPartition('acme#connections')).to.equal(undefined);
      expect(parseEntryPartition('dry#dry-1#acme##fp_b')).to.equal(undefined);
    });

    it('takes a key only from a builder: a string written out by hand does not type-check where a key goes', () => {
      // @ts-expect-error a hand-built partition is a plain string, not an EntryPartition
      const byHand: EntryPartition = 'acme#connections#fp_acme_north';
      // @ts-expect-error nor is a hand-built by-run key a RunPartition
      const runByHand: RunPartition = `run-1#${key.collection}`;
      // @ts-expect-error a primary key's pk must come from a builder too
      const itemKey: LedgerItemKey = { pk: `${key.customer}#${key.collection}#x`, externalRef: key.externalRef };
      const built: EntryPartition = ledgerPartition('acme', 'connections', 'fp_acme_north');
      expect([byHand, runByHand, itemKey.pk]).to.deep.equal([built, 'run-1#connections', 'acme#connections#x']);
    });

    it("reads the sub-project off the externalRef, and reads a run's sub-projects in the order of their externalRefs", () => {
      expect(databaseOf('fp_acme_north:addresses:12')).to.equal('fp_acme_north');
      // ':' sorts before '0' and '_': fp_a0's entries come before fp_a's, and fp_a's before fp_a_b's.
      expect(inExternalRefOrder(['fp_a_b', 'fp_a', 'fp_a0', 'fp_a'])).to.deep.equal(['fp_a0', 'fp_a', 'fp_a_b']);
    });

    it('orders source ids as numbers within a sub-project (zero-padded to 12 digits), an id below 0 as 0', () => {
      expect(sourceOrderOf('fp_a:aansluiting:42')).to.equal('fp_a#000000000042');
      expect(sourceOrderAt('fp_a', 42)).to.equal(sourceOrderOf('fp_a:aansluiting:42'));
      expect(sourceOrderAt('fp_a', -3)).to.equal('fp_a#000000000000');
      expect(sourceOrderAt('fp_a', 9) < sourceOrderAt('fp_a', 10)).to.equal(true);
    });
  });

  describe('run table', () => {
    it("keys a customer's runs, latest-run pointers and restore debt under the customer", () => {
      expect(runKey('acme', 'run-1')).to.deep.equal({ pk: 'acme', sk: 'run#run-1' });
      expect(pointerKey('acme', 'run')).to.deep.equal({ pk: 'acme', sk: 'latest' });
      expect(pointerKey('acme', 'dry-run')).to.deep.equal({ pk: 'acme', sk: 'latest-dry' });
      expect(pointerKey('acme', 'rollback')).to.deep.equal({ pk: 'acme', sk: 'latest-rollback' });
      expect(restoreDebtKey('acme')).to.deep.equal({ pk: 'acme', sk: 'restore' });
    });

    it("keys a run's producer figures and progress counters under customer#runId", () => {
      expect(progressPartition('acme', 'run-1')).to.equal('acme#run-1');
      expect(rangeKey('acme', 'run-1', 'connections', 'fp_a#r0#0')).to.deep.equal({ pk: 'acme#run-1', sk: 'range#connections#fp_a#r0#0' });
      expect(progressKey('acme', 'run-1', 'connections')).to.deep.equal({ pk: 'acme#run-1', sk: 'progress#connections' });
    });

    it("keys a verification's figures, lists and seen marks in partitions of their own", () => {
      expect(verifyFiguresKey('acme', 'v-1', 'source', { collection: 'connections', database: 'fp_a' }, 'p3')).to.deep.equal({
        pk: 'acme#v-1#verify',
        sk: 'source#connections#fp_a#p3',
      });
      expect(verifyListPartition('acme', 'v-1', 'connections', 'missing')).to.equal('acme#v-1#verify#connections#missing');
      expect(verifySeenPartition('acme', 'v-1', 'connections')).to.equal('acme#v-1#seen#connections');
    });
  });
});
