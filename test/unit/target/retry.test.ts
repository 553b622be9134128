import { expect } from 'chai';
import { MAX_BACKOFF_MS, pauseAfter, withRetries, type TransientAnswer } from '../../../src/target/retry.ts';

type Answer = { status: 'done' } | TransientAnswer;

/** An attempt function answering from a script, one answer per try, counting its tries. */
function scripted(...answers: Answer[]): { tries: number; attempt: () => Promise<Answer> } {
  const state = {
    tries: 0,
    attempt: async (): Promise<Answer> => answers[Math.min(state.tries++, answers.length - 1)]!,
  };
  return state;
}

const transient: TransientAnswer = { status: 'transient', message: '503 unavailable' };

describe('withRetries: the one retry loop of FiberConnect calls', () => {
  it('returns the first answer that is not transient, without trying again', async () => {
    const script = scripted(transient, { status: 'done' }, transient);
    const answer = await withRetries({ maxAttempts: 5, deadline: Date.now() + 10_000, retryDelayMs: 1 }, script.attempt);
    expect(answer).to.deep.equal({ status: 'done' });
    expect(script.tries).to.equal(2);
  });

  it('gives up after maxAttempts tries with the last transient answer', async () => {
    const script = scripted(transient);
    const answer = await withRetries({ maxAttempts: 3, deadline: Date.now() + 10_000, retryDelayMs: 1 }, script.attempt);
    expect(answer).to.deep.equal(transient);
    expect(script.tries).to.equal(3);
  });

  it("does not sleep a pause past the deadline (a Retry-After of 60 s): the answer comes back at once, for the message's next delivery", async () => {
    const script = scripted({ ...transient, retryAfterSeconds: 60 });
    const started = Date.now();
    const answer = await withRetries({ maxAttempts: 5, deadline: Date.now() + 5_000, retryDelayMs: 1 }, script.attempt);
    expect(answer.status).to.equal('transient');
    expect(script.tries).to.equal(1);
    expect(Date.now() - started).to.be.below(1_000);
  });

  it('makes no try once the deadline has passed, and says it was not tried', async () => {
    const script = scripted({ status: 'done' });
    const answer = await withRetries({ maxAttempts: 5, deadline: Date.now() - 1 }, script.attempt);
    expect(answer).to.deep.equal({ status: 'transient', message: 'not tried: the delivery ran out of time' });
    expect(script.tries).to.equal(0);
  });

  it('returns the last answer when a try could not start in time (the attempt says undefined)', async () => {
    let tries = 0;
    const answer = await withRetries({ maxAttempts: 5, deadline: Date.now() + 10_000, retryDelayMs: 1 }, async () => (tries++ === 0 ? transient : undefined));
    expect(answer).to.deep.equal(transient);
  });

  it('tells each transient answer to onTransient before pausing (a 429 pauses every instance)', async () => {
    const told: TransientAnswer[] = [];
    const tooFast: TransientAnswer = { status: 'transient', message: '429', pauseEveryone: true, retryAfterSeconds: 0 };
    await withRetries({ maxAttempts: 2, deadline: Date.now() + 10_000, retryDelayMs: 1 }, scripted(tooFast).attempt, async (answer) => {
      told.push(answer);
    });
    expect(told).to.deep.equal([tooFast, tooFast]);
  });

  it('pauses half to all of the doubled delay, capped, or the Retry-After when that is longer', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(pauseAfter(1, 200)).to.be.within(100, 200);
      expect(pauseAfter(3, 200)).to.be.within(400, 800);
      expect(pauseAfter(10, 200)).to.be.within(MAX_BACKOFF_MS / 2, MAX_BACKOFF_MS);
      expect(pauseAfter(1, 200, 7)).to.equal(7_000);
    }
  });
});
