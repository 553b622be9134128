import { expect } from 'chai';
import { Ledger } from '../../../src/ledger/ledger.ts';
import { RemovalLedger } from '../../../src/rollback/removal-ledger.ts';
import { RunStore } from '../../../src/ledger/run-store.ts';
import type { LedgerKey } from '../../../src/ledger/types.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';

const key = (externalRef: string, collection: LedgerKey['collection'] = 'connections'): LedgerKey => ({ customer: 'acme', collection, externalRef });
const removed = (externalRef: string, targetId: string) => ({
  externalRef,
  targetId,
  result: 'removed' as const,
  database: 'fp_acme_north',
  updatedAt: new Date().toISOString(),
});

describe('the ledger as a rollback writes it, on DynamoDB (dynalite)', () => {
  let tables: TestTables;
  let ledger: Ledger;
  let removals: RemovalLedger;
  let runs: RunStore;

  /** A record migrated by run-1, created by the engine unless said otherwise. */
  const migrate = async (externalRef: string, extra: { origin?: 'adopted'; collection?: LedgerKey['collection'] } = {}) => {
    await ledger.markQueued('run-1', [{ key: key(externalRef, extra.collection), sourceChecksum: 'c1' }]);
    await ledger.recordOutcome(key(externalRef, extra.collection), 'run-1', {
      status: 'migrated',
      targetId: `t-${externalRef}`,
      origin: extra.origin ?? 'created',
      targetVersion: 2,
      migratedChecksum: 'c1',
      fieldHashes: { name: 'h' },
    });
  };

  before(async () => {
    tables = await startTestTables();
    ledger = new Ledger(tables.db, tables.names.ledger);
    removals = new RemovalLedger(tables.db, tables.names.ledger);
    runs = new RunStore(tables.db, tables.names.runs);
    for (let id = 1; id <= 12; id += 1) await migrate(`fp_acme_north:addresses:${id}`);
    await migrate('fp_acme_south:addresses:1');
    await ledger.markQueued('run-1', [{ key: key('fp_acme_north:addresses:13'), sourceChecksum: 'c1' }]);
    await ledger.recordOutcome(key('fp_acme_north:addresses:13'), 'run-1', { status: 'failed', code: 'invalid_value', message: 'bad postcode' });
  });
  after(async () => tables.close());

  it("pages through one sub-project's migrated entries of a collection in externalRef order (a Query of the partition), leaving other sub-projects and unmigrated entries out", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await removals.migratedPage('acme', 'connections', 'fp_acme_north', 5, after);
      seen.push(...page.entries.map((e) => e.externalRef));
      after = page.next;
      pages += 1;
    } while (after);
    expect(pages).to.be.within(3, 4);
    // externalRef is TEXT: ids sort as text.
    expect(seen).to.deep.equal(Array.from({ length: 12 }, (_, i) => `fp_acme_north:addresses:${i + 1}`).sort());
  });

  it("writes a record's outcome once per rollback: a second write of the same record (redelivery, retried step) is not counted", async () => {
    expect(await removals.recordOutcome('rb-1', 'acme', 'connections', removed('fp_acme_north:addresses:1', 't-fp_acme_north:addresses:1'))).to.equal(true);
    expect(
      await removals.recordOutcome('rb-1', 'acme', 'connections', {
        ...removed('fp_acme_north:addresses:1', 't-fp_acme_north:addresses:1'),
        result: 'alreadyGone',
      }),
    ).to.equal(false);
    expect(
      await removals.recordOutcome('rb-2', 'acme', 'connections', removed('fp_acme_north:addresses:1', 't-fp_acme_north:addresses:1')),
      'another rollback has outcomes of its own',
    ).to.equal(true);
    const found = await removals.outcomesOf('rb-1', 'acme', 'connections', ['fp_acme_north:addresses:1', 'fp_acme_north:addresses:2']);
    expect([...found.keys()]).to.deep.equal(['fp_acme_north:addresses:1']);
    expect(found.get('fp_acme_north:addresses:1')!.result).to.equal('removed');
  });

  it('turns a removed record\'s entry back into "not migrated" once: the target fields go, generation rises by one however often it is called, and the entry leaves the run\'s report', async () => {
    expect(await removals.markRemoved('rb-1', 'acme', 'connections', 'fp_acme_north:addresses:1', 't-fp_acme_north:addresses:1')).to.equal(true);
    expect(await removals.markRemoved('rb-1', 'acme', 'connections', 'fp_acme_north:addresses:1', 't-fp_acme_north:addresses:1')).to.equal(false);
    expect(await removals.markRemoved('rb-2', 'acme', 'connections', 'fp_acme_north:addresses:1', 't-fp_acme_north:addresses:1')).to.equal(false);
    const entry = (await ledger.getMany('acme', 'connections', ['fp_acme_north:addresses:1'])).get('fp_acme_north:addresses:1')!;
    expect(entry).to.include({ status: 'removed', removedBy: 'rb-1', generation: 1, sourceChecksum: 'c1' });
    for (const field of ['targetId', 'origin', 'targetVersion', 'fieldHashes', 'migratedChecksum']) expect(entry, field).to.not.have.property(field);
    const inRun: string[] = [];
    for await (const e of ledger.entriesOfRun('run-1', 'connections', ['fp_acme_north'])) inRun.push(e.externalRef);
    expect(inRun).to.not.include('fp_acme_north:addresses:1');
    expect((await removals.migratedPage('acme', 'connections', 'fp_acme_north', 100)).entries.map((e) => e.externalRef)).to.not.include(
      'fp_acme_north:addresses:1',
    );
  });

  it('after the next migration created it again, the generation goes on from there: a second rollback raises it to 2', async () => {
    const ref = 'fp_acme_north:addresses:2';
    expect(await removals.markRemoved('rb-1', 'acme', 'connections', ref, `t-${ref}`)).to.equal(true);
    const previous = (await ledger.getMany('acme', 'connections', [ref])).get(ref)!;
    await ledger.markQueued('run-2', [{ key: key(ref), sourceChecksum: 'c1', previous }]);
    await ledger.recordOutcome(key(ref), 'run-2', { status: 'migrated', targetId: 't-new', origin: 'created', targetVersion: 1 });
    expect(await removals.markRemoved('rb-2', 'acme', 'connections', ref, `t-${ref}`), "the dead id is not the entry's any more").to.equal(false);
    expect(await removals.markRemoved('rb-2', 'acme', 'connections', ref, 't-new')).to.equal(true);
    expect((await ledger.getMany('acme', 'connections', [ref])).get(ref)!.generation).to.equal(2);
  });

  it('a work order\'s update entry goes back to "not migrated" without a target id of its own, its generation untouched', async () => {
    await migrate('fp_acme_north:assignments:1', { collection: 'work-order-updates' });
    expect(await removals.markRemoved('rb-1', 'acme', 'work-order-updates', 'fp_acme_north:assignments:1')).to.equal(true);
    const entry = (await ledger.getMany('acme', 'work-order-updates', ['fp_acme_north:assignments:1'])).get('fp_acme_north:assignments:1')!;
    expect(entry.status).to.equal('removed');
    expect(entry.generation).to.equal(undefined);
  });

  it("lists a rollback's outcomes per collection for its report, and only that rollback's", async () => {
    await removals.recordOutcome('rb-3', 'acme', 'projects', {
      externalRef: 'fp_acme_north:projects:1',
      targetId: 'p1',
      result: 'kept',
      reason: 'has_children',
      message: '409 has_children',
      database: 'fp_acme_north',
      updatedAt: '',
    });
    const outcomes = [];
    for await (const outcome of removals.outcomesOfRun('rb-3', 'projects', ['fp_acme_north'])) outcomes.push(outcome);
    expect(outcomes.map((o) => [o.externalRef, o.result, o.reason])).to.deep.equal([['fp_acme_north:projects:1', 'kept', 'has_children']]);
    const none = [];
    for await (const outcome of removals.outcomesOfRun('rb-3', 'connections', ['fp_acme_north'])) none.push(outcome);
    expect(none).to.deep.equal([]);
  });

  it("notes a DELETE that got no answer beside the record's outcome, finds it again in a later delivery, and keeps it out of the outcomes and the report's by-run listing", async () => {
    await removals.noteUnanswered('rb-4', 'acme', 'connections', 'fp_acme_north:addresses:5');
    expect([...(await removals.unansweredOf('rb-4', 'acme', 'connections', ['fp_acme_north:addresses:5', 'fp_acme_north:addresses:6']))]).to.deep.equal([
      'fp_acme_north:addresses:5',
    ]);
    expect((await removals.unansweredOf('rb-5', 'acme', 'connections', ['fp_acme_north:addresses:5'])).size, 'another rollback').to.equal(0);
    expect((await removals.outcomesOf('rb-4', 'acme', 'connections', ['fp_acme_north:addresses:5'])).size).to.equal(0);
    await removals.recordOutcome('rb-4', 'acme', 'connections', removed('fp_acme_north:addresses:5', 't-fp_acme_north:addresses:5'));
    const listed = [];
    for await (const outcome of removals.outcomesOfRun('rb-4', 'connections', ['fp_acme_north'])) listed.push(outcome.externalRef);
    expect(listed).to.deep.equal(['fp_acme_north:addresses:5']);
  });

  it("a rollback is the customer's latest rollback, never its latest migration; its removal counters are progress to a drain wait", async () => {
    await runs.startRun({ customer: 'acme', runId: 'run-9', startedAt: 'a', status: 'RUNNING', options: {} });
    await runs.startRun({ customer: 'acme', runId: 'rb-9', startedAt: 'b', status: 'RUNNING', options: {}, kind: 'rollback' });
    expect(await runs.latestRunId('acme')).to.equal('run-9');
    expect(await runs.latestRollbackId('acme')).to.equal('rb-9');
    await runs.recordRange('acme', 'rb-9', 'connections', 'fp_acme_north#', { source: 5, alreadyMigrated: 0, queued: 4 });
    await runs.addRemovals('acme', 'rb-9', 'connections', { kept: 1 });
    await runs.addRemovals('acme', 'rb-9', 'connections', { removed: 2, alreadyGone: 1, failed: 1 });
    expect(await runs.outcomeCount('acme', 'rb-9', 'connections')).to.equal(5);
    expect((await runs.removalProgress('acme', 'rb-9')).connections).to.deep.equal({ source: 5, queued: 4, removed: 2, alreadyGone: 1, kept: 1, failed: 1 });
  });
});
