import { expect } from 'chai';
import defaultProfile from '../../../profiles/default.json' with { type: 'json' };
import { resolveProfile } from '../../../src/profile/resolve-profile.ts';
import { effectiveSettings } from '../../../src/pipeline/run-settings.ts';
import { RollbackProducer, type RollbackScope } from '../../../src/rollback/rollback-producer.ts';
import type { RemovalMessage } from '../../../src/pipeline/types.ts';
import { FakeRemovalLedger } from '../../helpers/fake-removal-ledger.ts';
import { FakeSqs } from '../../helpers/fake-sqs.ts';

function harness() {
  const ledger = new FakeRemovalLedger();
  const sqs = new FakeSqs();
  const ranges: { page: string; counts: Record<string, number> }[] = [];
  const kept: number[] = [];
  const producer = new RollbackProducer({
    ledger,
    runs: {
      recordRange: async (_c, _r, _col, page, counts) => void ranges.push({ page, counts: { ...counts } }),
      addRemovals: async (_c, _r, _col, counts) => void kept.push(counts.kept ?? 0),
    },
    sqs,
    queueUrl: (collection) => `queue/${collection}.fifo`,
  });
  const base = effectiveSettings(resolveProfile('acme', (name) => (name === 'default' ? defaultProfile : undefined)));
  const scope = (options: Partial<RollbackScope['options']> = {}): RollbackScope => ({
    customer: 'acme',
    runId: 'rb-1',
    database: 'fp_acme_north',
    collection: 'connections',
    options: { ...base, ...options },
  });
  const removals = () => sqs.sent.flatMap((m) => (m.body as unknown as RemovalMessage).records);
  return { ledger, sqs, ranges, kept, producer, scope, removals };
}

describe('RollbackProducer (the producer of a rollback)', () => {
  it("queues the removal of every record the engine created in the sub-project, with its target id and version, on the collection's queue; other sub-projects and unmigrated entries are left alone", async () => {
    const { ledger, sqs, producer, scope, removals } = harness();
    ledger.migrated('connections', 'fp_acme_north:addresses:1', { targetVersion: 4 });
    ledger.migrated('connections', 'fp_acme_north:addresses:2');
    ledger.migrated('connections', 'fp_acme_south:addresses:1');
    ledger.migrated('connections', 'fp_acme_north:addresses:3', { status: 'failed' });
    ledger.migrated('projects', 'fp_acme_north:projects:1');
    const page = await producer.produce(scope(), { done: false }, Number.POSITIVE_INFINITY);
    expect(page).to.deep.equal({ done: true, queued: 2 });
    expect(removals()).to.deep.equal([
      { externalRef: 'fp_acme_north:addresses:1', targetId: 't-fp_acme_north:addresses:1', targetVersion: 4 },
      { externalRef: 'fp_acme_north:addresses:2', targetId: 't-fp_acme_north:addresses:2', targetVersion: 1 },
    ]);
    expect(sqs.sent.every((m) => m.queueUrl === 'queue/connections.fifo')).to.equal(true);
    expect(sqs.sent[0]!.body as unknown as RemovalMessage).to.include({ kind: 'removal', runId: 'rb-1', collection: 'connections', database: 'fp_acme_north' });
  });

  it('lists what the engine adopted as kept (`adopted`) at once and never queues its removal; a retried step counts it once', async () => {
    const { ledger, kept, producer, scope, removals } = harness();
    ledger.migrated('connections', 'fp_acme_north:addresses:1', { origin: 'adopted' });
    ledger.migrated('connections', 'fp_acme_north:addresses:2');
    await producer.produce(scope(), { done: false }, Number.POSITIVE_INFINITY);
    await producer.produce(scope(), { done: false }, Number.POSITIVE_INFINITY);
    expect(removals().map((r) => r.externalRef)).to.deep.equal(['fp_acme_north:addresses:2', 'fp_acme_north:addresses:2']);
    expect([...ledger.outcomes.values()].map((o) => [o.externalRef, o.result, o.reason])).to.deep.equal([['fp_acme_north:addresses:1', 'kept', 'adopted']]);
    expect(kept).to.deep.equal([1, 0]);
  });

  it('reads page after page from where it stopped, stops at the deadline with its place, and goes on from there without a record twice', async () => {
    const { ledger, ranges, producer, scope, removals } = harness();
    for (let id = 1; id <= 5; id += 1) ledger.migrated('connections', `fp_acme_north:addresses:${id}`);
    const stopped = await producer.produce(scope({ sourceBatchSize: 2 }), { done: false }, 0);
    expect(stopped).to.deep.equal({ done: false, after: 'fp_acme_north:addresses:2', queued: 2 });
    const finished = await producer.produce(scope({ sourceBatchSize: 2 }), stopped, Number.POSITIVE_INFINITY);
    expect(finished).to.deep.equal({ done: true, queued: 5 });
    expect(removals().map((r) => r.externalRef)).to.deep.equal([1, 2, 3, 4, 5].map((id) => `fp_acme_north:addresses:${id}`));
    expect(ranges.map((r) => r.page)).to.deep.equal(['fp_acme_north#', 'fp_acme_north#fp_acme_north:addresses:2', 'fp_acme_north#fp_acme_north:addresses:4']);
  });

  it("spreads the removals over the run's message groups, recordsPerMessage a message, with the same deduplication id when a retried step sends them again", async () => {
    const { ledger, sqs, producer, scope } = harness();
    for (let id = 1; id <= 6; id += 1) ledger.migrated('connections', `fp_acme_north:addresses:${id}`);
    await producer.produce(scope({ recordsPerMessage: 2, messageGroups: 2 }), { done: false }, Number.POSITIVE_INFINITY);
    expect(sqs.sent.map((m) => m.groupId)).to.deep.equal(['fp_acme_north:rollback:0', 'fp_acme_north:rollback:1', 'fp_acme_north:rollback:0']);
    const first = sqs.sent.map((m) => m.deduplicationId);
    await producer.produce(scope({ recordsPerMessage: 2, messageGroups: 2 }), { done: false }, Number.POSITIVE_INFINITY);
    expect(sqs.sent.slice(3).map((m) => m.deduplicationId)).to.deep.equal(first);
  });
});
