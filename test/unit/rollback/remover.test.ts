import { expect } from 'chai';
import type { Collection } from '../../../src/domain/types.ts';
import { TransientDeliveryError } from '../../../src/pipeline/errors.ts';
import { Remover } from '../../../src/rollback/remover.ts';
import type { RemovableCollection, RemovalMessage } from '../../../src/pipeline/types.ts';
import { TargetError, TargetRefusedError } from '../../../src/target/errors.ts';
import type { TargetResponse } from '../../../src/target/types.ts';
import { FakeFiberConnect, refused, type Responder } from '../../helpers/fake-fiberconnect.ts';
import { FakeRateLimiter } from '../../helpers/fake-rate-limiter.ts';
import { FakeRemovalLedger } from '../../helpers/fake-removal-ledger.ts';

const gone = (): TargetResponse => ({ status: 204, body: undefined, replayed: false });

function message(collection: RemovableCollection, refs: string[], runId = 'rb-1'): RemovalMessage {
  return {
    v: 1,
    kind: 'removal',
    customer: 'acme',
    runId,
    collection,
    database: 'fp_acme_north',
    maxAttempts: 3,
    targetRps: 100,
    requestTimeoutSeconds: 5,
    records: refs.map((ref) => ({ externalRef: ref, targetId: `t-${ref}`, targetVersion: 3 })),
  };
}

function harness(responder: Responder = gone, latest: string | null = 'rb-1') {
  const ledger = new FakeRemovalLedger();
  const target = new FakeFiberConnect(responder);
  const limiter = new FakeRateLimiter();
  const counted: Record<string, number>[] = [];
  const refusals = new Map<string, string>();
  const remover = new Remover({
    ledger,
    runs: {
      liveRunId: async () => latest ?? undefined,
      addRemovals: async (_c, _r, _col, counts) => void counted.push(counts as Record<string, number>),
      markTargetRefused: async (customer, runId, line) => void refusals.set(`${customer}#${runId}`, line),
      targetRefusal: async (customer, runId) => refusals.get(`${customer}#${runId}`),
    },
    targetClient: async () => target,
    targetLimiter: () => limiter,
    maxReceiveCount: 3,
    retryDelayMs: 1,
  });
  const seed = (collection: Collection, refs: string[]) => refs.forEach((ref) => ledger.migrated(collection, ref, { targetVersion: 3 }));
  return { ledger, target, limiter, counted, remover, seed, refusals };
}

describe('Remover (the removal consumer of a rollback)', () => {
  it('DELETEs each record with If-Match of the version the engine last wrote, at the shared rate, and turns the entry back into "not migrated" with its generation raised', async () => {
    const { ledger, target, limiter, remover, seed } = harness();
    seed('connections', ['fp_acme_north:addresses:1', 'fp_acme_north:addresses:2']);
    const result = await remover.deliver(message('connections', ['fp_acme_north:addresses:1', 'fp_acme_north:addresses:2']), 1);
    expect(result.counts).to.deep.equal({ removed: 2, alreadyGone: 0, kept: 0, failed: 0 });
    expect(target.requests.map((r) => `${r.method} ${r.path} ${r.headers?.['If-Match']}`).sort()).to.deep.equal([
      'DELETE /v1/connections/t-fp_acme_north%3Aaddresses%3A1 "3"',
      'DELETE /v1/connections/t-fp_acme_north%3Aaddresses%3A2 "3"',
    ]);
    expect(limiter.acquired).to.equal(2);
    const entry = ledger.entry('connections', 'fp_acme_north:addresses:1')!;
    expect(entry).to.include({ status: 'removed', removedBy: 'rb-1', generation: 1 });
    expect(entry.targetId).to.equal(undefined);
  });

  it('counts a 404 alreadyGone, not an error, and resets the entry all the same', async () => {
    const { ledger, remover, seed } = harness(() => refused(404, 'not_found'));
    seed('projects', ['fp_acme_north:projects:1']);
    const result = await remover.deliver(message('projects', ['fp_acme_north:projects:1']), 1);
    expect(result.counts).to.deep.equal({ removed: 0, alreadyGone: 1, kept: 0, failed: 0 });
    expect(ledger.entry('projects', 'fp_acme_north:projects:1')!.status).to.equal('removed');
  });

  it('keeps a record a person changed (412 target_changed) and one a person built on (409 has_children): listed with the reason, the entry stays migrated', async () => {
    const { ledger, remover, seed } = harness((request) => (request.path.endsWith('1') ? refused(412, 'version_mismatch') : refused(409, 'has_children')));
    seed('work-orders', ['fp_acme_north:assignments:1', 'fp_acme_north:assignments:2']);
    const result = await remover.deliver(message('work-orders', ['fp_acme_north:assignments:1', 'fp_acme_north:assignments:2']), 1);
    expect(result.counts).to.deep.equal({ removed: 0, alreadyGone: 0, kept: 2, failed: 0 });
    expect([...ledger.outcomes.values()].map((o) => [o.externalRef, o.result, o.reason]).sort()).to.deep.equal([
      ['fp_acme_north:assignments:1', 'kept', 'target_changed'],
      ['fp_acme_north:assignments:2', 'kept', 'has_children'],
    ]);
    expect(ledger.entry('work-orders', 'fp_acme_north:assignments:1')!.status).to.equal('migrated');
  });

  it('takes a removed work order\'s update entry back to "not migrated" with it, without a DELETE of its own and without a new generation', async () => {
    const { ledger, target, remover, seed } = harness();
    seed('work-orders', ['fp_acme_north:assignments:7']);
    ledger.migrated('work-order-updates', 'fp_acme_north:assignments:7', { targetId: 't-fp_acme_north:assignments:7', origin: undefined });
    await remover.deliver(message('work-orders', ['fp_acme_north:assignments:7']), 1);
    expect(target.requests).to.have.length(1);
    expect(ledger.entry('work-order-updates', 'fp_acme_north:assignments:7')).to.include({ status: 'removed' });
    expect(ledger.entry('work-order-updates', 'fp_acme_north:assignments:7')!.generation).to.equal(undefined);
  });

  it('a redelivered message sends nothing for records with an outcome in the run and counts nothing twice, but finishes an entry reset a crash interrupted', async () => {
    const { ledger, target, counted, remover, seed } = harness();
    seed('documents', ['fp_acme_north:documents:1']);
    await ledger.recordOutcome('rb-1', 'acme', 'documents', {
      externalRef: 'fp_acme_north:documents:1',
      targetId: 't-fp_acme_north:documents:1',
      result: 'removed',
      database: 'fp_acme_north',
      updatedAt: '',
    });
    const result = await remover.deliver(message('documents', ['fp_acme_north:documents:1']), 2);
    expect(target.requests).to.have.length(0);
    expect(result.counts.removed).to.equal(0);
    expect(counted.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0)).to.equal(0);
    expect(ledger.entry('documents', 'fp_acme_north:documents:1')).to.include({ status: 'removed', generation: 1 });
    // A third delivery changes nothing more: the generation rises once per removal.
    await remover.deliver(message('documents', ['fp_acme_north:documents:1']), 3);
    expect(ledger.entry('documents', 'fp_acme_north:documents:1')!.generation).to.equal(1);
  });

  it('drops a message of a rollback that was stopped (make stop): no live rollback, nothing sent', async () => {
    const { target, remover, seed } = harness(gone, null);
    seed('projects', ['fp_acme_north:projects:1']);
    expect((await remover.deliver(message('projects', ['fp_acme_north:projects:1']), 1)).stale).to.equal(true);
    expect(target.requests).to.have.length(0);
  });
  it("drops a message of a rollback that is no longer the customer's latest: nothing sent, nothing written", async () => {
    const { ledger, target, remover, seed } = harness(gone, 'rb-2');
    seed('projects', ['fp_acme_north:projects:1']);
    const result = await remover.deliver(message('projects', ['fp_acme_north:projects:1']), 1);
    expect(result.stale).to.equal(true);
    expect(target.requests).to.have.length(0);
    expect(ledger.outcomes.size).to.equal(0);
  });

  it('retries 503 and dropped connections within the delivery; when the tries run out the message comes back with nothing written', async () => {
    const retried = harness((_request, attempt) => (attempt === 1 ? refused(503, 'unavailable') : gone()));
    retried.seed('projects', ['fp_acme_north:projects:1']);
    expect((await retried.remover.deliver(message('projects', ['fp_acme_north:projects:1']), 1)).counts.removed).to.equal(1);

    const down = harness(() => {
      throw new TargetError('socket hang up', { method: 'DELETE', path: '/v1/projects/x' });
    });
    down.seed('projects', ['fp_acme_north:projects:1']);
    let thrown: unknown;
    try {
      await down.remover.deliver(message('projects', ['fp_acme_north:projects:1']), 1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(TransientDeliveryError);
    expect(down.target.requests).to.have.length(3);
    expect(down.ledger.outcomes.size).to.equal(0);
    expect(down.ledger.entry('projects', 'fp_acme_north:projects:1')!.status).to.equal('migrated');
  });

  it('counts a 404 after its own DELETE got no answer (a timeout, a dropped connection) as removed, not alreadyGone: that DELETE removed it', async () => {
    const { ledger, remover, seed } = harness((_request, attempt) => {
      if (attempt === 1) throw new TargetError('the call timed out', { method: 'DELETE', path: '/v1/projects/x' });
      return refused(404, 'not_found');
    });
    seed('projects', ['fp_acme_north:projects:1']);
    const result = await remover.deliver(message('projects', ['fp_acme_north:projects:1']), 1);
    expect(result.counts).to.deep.equal({ removed: 1, alreadyGone: 0, kept: 0, failed: 0 });
    expect(ledger.entry('projects', 'fp_acme_north:projects:1')!.status).to.equal('removed');
  });

  it("counts a 404 in a later delivery as removed when an earlier delivery's DELETE got no answer (noted in the ledger), and a 404 with no such note as alreadyGone", async () => {
    let calls = 0;
    const { ledger, remover, seed } = harness((request) => {
      calls += 1;
      if (calls <= 3 && request.path.endsWith('1')) throw new TargetError('the call timed out', { method: 'DELETE', path: request.path });
      return refused(404, 'not_found');
    });
    seed('projects', ['fp_acme_north:projects:1']);
    const first = await remover.deliver(message('projects', ['fp_acme_north:projects:1']), 1).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(first).to.be.instanceOf(TransientDeliveryError);
    expect([...ledger.unanswered]).to.deep.equal(['rb-1|projects|fp_acme_north:projects:1']);
    const again = await remover.deliver(message('projects', ['fp_acme_north:projects:1']), 2);
    expect(again.counts).to.deep.equal({ removed: 1, alreadyGone: 0, kept: 0, failed: 0 });

    seed('projects', ['fp_acme_north:projects:2']);
    expect((await remover.deliver(message('projects', ['fp_acme_north:projects:2']), 2)).counts).to.deep.equal({
      removed: 0,
      alreadyGone: 1,
      kept: 0,
      failed: 0,
    });
  });

  it('on the last delivery records what still meets transient answers as failed (the entry stays migrated for a next rollback), and a refusal as failed at once', async () => {
    const last = harness(() => refused(503, 'unavailable'));
    last.seed('projects', ['fp_acme_north:projects:1']);
    expect((await last.remover.deliver(message('projects', ['fp_acme_north:projects:1']), 3)).counts.failed).to.equal(1);
    expect(last.ledger.entry('projects', 'fp_acme_north:projects:1')!.status).to.equal('migrated');

    const refusal = harness(() => refused(400, 'bad_request'));
    refusal.seed('projects', ['fp_acme_north:projects:1']);
    const result = await refusal.remover.deliver(message('projects', ['fp_acme_north:projects:1']), 1);
    expect(result.counts.failed).to.equal(1);
    expect(refusal.target.requests).to.have.length(1);
    expect([...refusal.ledger.outcomes.values()][0]!.message).to.match(/^400 bad_request/);
  });

  it('stops the rollback when FiberConnect refuses the token (an HTML 403): no record kept or failed for it, the run marked, later messages send nothing', async () => {
    const { target, ledger, remover, seed, refusals } = harness(() => ({ status: 403, body: undefined, replayed: false }));
    const refs = ['fp_acme_north:projects:1', 'fp_acme_north:projects:2'];
    seed('projects', refs);
    const error = await remover.deliver(message('projects', refs), 1).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(TargetRefusedError);
    expect((error as Error).message).to.match(/^FiberConnect refused the token of customer acme \(403/);
    expect(refusals.get('acme#rb-1')).to.equal((error as Error).message);
    expect([...ledger.outcomes.values()]).to.deep.equal([]);
    const sent = target.requests.length;
    expect((await remover.deliver(message('projects', refs), 2)).stale).to.equal(true);
    expect(target.requests).to.have.length(sent);
  });
});
