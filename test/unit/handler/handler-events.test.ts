import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { handler as drainCheck } from '../../../functions/drain-check/index.ts';
import { handler as jobsCheck } from '../../../functions/jobs-check/index.ts';
import { handler as producer } from '../../../functions/producer/index.ts';
import { handler as redrive } from '../../../functions/redrive/index.ts';
import { handler as verify } from '../../../functions/verify/index.ts';

/** The handler's rejection of `event`: every case here fails in parsing, before any I/O. */
async function rejection(run: () => Promise<unknown>): Promise<InvalidInputError> {
  try {
    await run();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  return expect.fail('the handler accepted the event');
}

const drainEvent = { customer: 'acme', runId: '20261125T034147Z-747a43', collection: 'projects', drain: { looks: 0 }, pollSeconds: 5, timeoutSeconds: 600 };
const producerEvent = {
  action: 'plan',
  customer: 'acme',
  runId: '20261125T034147Z-747a43',
  database: 'fp_acme_a',
  collection: 'projects',
  options: { sourceBatchSize: 500, producers: 2, sourceRps: 5, messageGroups: 4, recordsPerMessage: 10 },
};

describe('handler events parsed from the shared field definitions', () => {
  it('drain-check answers "nothing queued" at once when its producers sent nothing', async () => {
    const state = await drainCheck({ ...drainEvent, produced: [{ done: true, queued: 0 }] });
    expect(state).to.include({ looks: 1, finished: true, timedOut: false, nothingQueued: true, waitSeconds: 5 });
  });

  it('drain-check refuses a wait without a bound (timeoutSeconds 0), an unknown collection and a wait without looks', async () => {
    expect((await rejection(() => drainCheck({ ...drainEvent, timeoutSeconds: 0 }))).message).to.match(/timeoutSeconds/);
    expect((await rejection(() => drainCheck({ ...drainEvent, collection: 'invoices' }))).message).to.match(/collection/);
    expect((await rejection(() => drainCheck({ ...drainEvent, drain: {} }))).message).to.match(/drain.*looks/);
  });

  it('jobs-check refuses an event without the run target rate or with a poll under one second', async () => {
    const event = { customer: 'acme', targetRps: 5, jobs: { looks: 0 }, pollSeconds: 5, timeoutSeconds: 0 };
    expect((await rejection(() => jobsCheck({ ...event, targetRps: undefined }))).message).to.match(/targetRps/);
    expect((await rejection(() => jobsCheck({ ...event, pollSeconds: 0.5 }))).message).to.match(/pollSeconds/);
  });

  it('producer refuses options that are not the run settings configure filled, a bad database name and an unknown action', async () => {
    expect((await rejection(() => producer({ ...producerEvent, options: { sourceBatchSize: 500 } }))).message).to.match(/options.*producers/);
    expect((await rejection(() => producer({ ...producerEvent, database: 'fp; drop' }))).message).to.match(/database/);
    expect((await rejection(() => producer({ ...producerEvent, action: 'delete' }))).message).to.match(/action/);
  });

  it('producer refuses a produce step without its range and page', async () => {
    expect((await rejection(() => producer({ ...producerEvent, action: 'produce' }))).message).to.match(/range and page/);
  });

  it('redrive refuses a collection that does not exist', async () => {
    expect((await rejection(() => redrive({ collections: ['projects', 'invoices'] }))).message).to.match(/collections/);
  });

  it('verify refuses an unknown step and a paging step without what it pages', async () => {
    const run = { customer: 'acme', runId: 'v1' };
    expect((await rejection(() => verify({ ...run, step: 'rollback' }))).message).to.match(/step/);
    expect(
      (await rejection(() => verify({ ...run, step: 'target', collection: 'projects', settings: { targetRps: 5, sourceRps: 5, sourceBatchSize: 100 } })))
        .message,
    ).to.match(/target needs databases, position/);
    expect((await rejection(() => verify({ ...run, step: 'source', collection: 'projects', database: 'fp_a', position: { done: false } }))).message).to.match(
      /source needs settings/,
    );
  });
});
