import { expect } from 'chai';
import { checkDrain, type QueueDepth } from '../../../src/queue/drain.ts';
import { ProgressWait } from '../../../src/wait/progress-wait.ts';
import type { ProgressWaitState } from '../../../src/wait/types.ts';

const START: ProgressWaitState = { looks: 0, waitSeconds: 0, finished: false, timedOut: false };

/** A virtual clock the tests move by the seconds each answer asked to wait. */
function virtualClock(): { now: () => number; advance: (seconds: number) => void } {
  let at = Date.UTC(2026, 0, 1);
  return { now: () => at, advance: (seconds) => (at += seconds * 1000) };
}

const depthOf = (messages: number): QueueDepth => ({ visible: messages, inFlight: 0, delayed: 0, drained: messages === 0 });

describe('progress-bounded waits (drain and planboard jobs)', () => {
  it('keeps waiting far beyond the timeout while the queue keeps falling, then finishes after two drained answers in a row', async () => {
    const clock = virtualClock();
    const total = 3 * 3600; // messages, one drained per second: three hours against a 15-minute timeout
    let state = START;
    let elapsed = 0;
    while (!state.finished && !state.timedOut) {
      clock.advance(state.waitSeconds);
      elapsed += state.waitSeconds;
      const remaining = Math.max(0, total - elapsed);
      state = await checkDrain(
        { depth: async () => depthOf(remaining), outcomes: async () => ({ all: total - remaining }) },
        state,
        { pollSeconds: 2, timeoutSeconds: 900 },
        clock.now,
      );
      if (remaining === 0 && state.emptyInARow === 1) expect(state.finished, 'one drained answer is not enough').to.equal(false);
    }
    expect(state.timedOut).to.equal(false);
    expect(state.finished).to.equal(true);
    expect(elapsed).to.be.at.least(total);
    expect(elapsed, 'the end is seen soon after it comes').to.be.below(total * 1.1);
  });

  it("finishes on the first drained answer once the sub-project's own outcome counter has reached what its producers queued", async () => {
    const clock = virtualClock();
    const look = (messages: number, subproject: number) =>
      checkDrain(
        { depth: async () => depthOf(messages), outcomes: async () => ({ all: subproject + 40, subproject }), queued: 120 },
        START,
        { pollSeconds: 2, timeoutSeconds: 900 },
        clock.now,
      );
    expect((await look(0, 120)).finished, 'counted and drained').to.equal(true);
    expect((await look(0, 119)).finished, 'one record short: two drained answers as ever').to.equal(false);
    expect((await look(3, 120)).finished, 'counted, but the shared queue still holds messages').to.equal(false);
    const unknownSubproject = await checkDrain(
      { depth: async () => depthOf(0), outcomes: async () => ({ all: 500 }), queued: 120 },
      START,
      { pollSeconds: 2, timeoutSeconds: 900 },
      clock.now,
    );
    expect(unknownSubproject.finished, 'no sub-project counter: two drained answers').to.equal(false);
  });

  it('times out after timeoutSeconds without progress, counted from the last look that saw progress', () => {
    const clock = virtualClock();
    const wait = new ProgressWait({ minWaitSeconds: 10, timeoutSeconds: 60, answersToFinish: 2 }, clock.now);
    let state = wait.next(START, { remaining: 50 });
    clock.advance(30);
    state = wait.next(state, { remaining: 40 });
    expect(state.lastProgressAt).to.equal(clock.now());
    clock.advance(59);
    state = wait.next(state, { remaining: 40 });
    expect(state.timedOut, '59 s without progress').to.equal(false);
    clock.advance(1);
    state = wait.next(state, { remaining: 40 });
    expect(state.timedOut, '60 s without progress').to.equal(true);
  });

  it('counts a rising outcome counter as progress even while the queue depth stays the same', () => {
    const clock = virtualClock();
    const wait = new ProgressWait({ minWaitSeconds: 10, timeoutSeconds: 60, answersToFinish: 2 }, clock.now);
    let state = wait.next(START, { remaining: 5, completed: 0 });
    for (let outcomes = 10; outcomes <= 100; outcomes += 10) {
      clock.advance(50);
      state = wait.next(state, { remaining: 5, completed: outcomes });
      expect(state.timedOut).to.equal(false);
    }
    clock.advance(60);
    expect(wait.next(state, { remaining: 5, completed: 100 }).timedOut).to.equal(true);
  });

  it('with completedPerRemaining, estimates from the work done when others keep refilling what remains, and from the net fall when that is faster', () => {
    const clock = virtualClock();
    const wait = new ProgressWait({ minWaitSeconds: 1, timeoutSeconds: 900, answersToFinish: 1, boundByElapsed: false, completedPerRemaining: 10 }, clock.now);
    const first = wait.next(START, { remaining: 1000, completed: 500 });
    clock.advance(20);
    // The net fall is 0, but 2,000 records (200 units) were done in 20 s: 1,000 take 100 s, the look comes after half.
    expect(wait.next(first, { remaining: 1000, completed: 2500 }).waitSeconds).to.equal(50);
    // A net fall of 500 in 20 s beats 20 units done: 500 more take 20 s.
    expect(wait.next(first, { remaining: 500, completed: 700 }).waitSeconds).to.equal(10);
    // Without the option, the same refilled queue has no rate: the look comes after a tenth of the time waited.
    const plain = new ProgressWait({ minWaitSeconds: 1, timeoutSeconds: 900, answersToFinish: 1, boundByElapsed: false }, clock.now);
    clock.advance(-20);
    const start = plain.next(START, { remaining: 1000, completed: 500 });
    clock.advance(20);
    expect(plain.next(start, { remaining: 1000, completed: 2500 }).waitSeconds).to.equal(2);
  });

  it('does not count an approximate depth that rises and falls back above its lowest as progress', () => {
    const clock = virtualClock();
    const wait = new ProgressWait({ minWaitSeconds: 10, timeoutSeconds: 60, answersToFinish: 2 }, clock.now);
    let state = wait.next(START, { remaining: 20 });
    for (const remaining of [25, 21, 30, 20]) {
      clock.advance(20);
      state = wait.next(state, { remaining });
    }
    expect(state.timedOut).to.equal(true);
  });

  it('starts over counting drained answers when a drained queue shows messages again', () => {
    const wait = new ProgressWait({ minWaitSeconds: 1, timeoutSeconds: 600, answersToFinish: 2 }, virtualClock().now);
    let state = wait.next(START, { remaining: 0 });
    state = wait.next(state, { remaining: 3 });
    state = wait.next(state, { remaining: 0 });
    expect(state.finished).to.equal(false);
    expect(wait.next(state, { remaining: 0 }).finished).to.equal(true);
  });

  it('spaces looks at least minWaitSeconds and at most a tenth of the time waited so far, whole seconds, shorter when the end is near', () => {
    const clock = virtualClock();
    const wait = new ProgressWait({ minWaitSeconds: 2, timeoutSeconds: 900, answersToFinish: 2 }, clock.now);
    let state = wait.next(START, { remaining: 1_000_000 });
    expect(state.waitSeconds).to.equal(2);
    let elapsed = 0;
    let remaining = 1_000_000;
    while (remaining > 100) {
      clock.advance(state.waitSeconds);
      elapsed += state.waitSeconds;
      remaining = Math.max(0, 1_000_000 - elapsed * 10);
      state = wait.next(state, { remaining });
      expect(Number.isInteger(state.waitSeconds)).to.equal(true);
      expect(state.waitSeconds).to.be.at.least(2);
      expect(state.waitSeconds).to.be.at.most(Math.max(2, elapsed / 10));
    }
    expect(state.waitSeconds, 'about 10 s of work left: look again soon').to.be.at.most(5);
  });

  it('waits whole seconds even when the minimum is fractional', () => {
    const state = new ProgressWait({ minWaitSeconds: 1.5, timeoutSeconds: 60, answersToFinish: 1 }, virtualClock().now).next(START, { remaining: 4 });
    expect(state.waitSeconds).to.equal(2);
  });

  it('without boundByElapsed, paces by half the estimated remainder alone once a rate is measured, and by the time waited until then', () => {
    const options = { minWaitSeconds: 5, timeoutSeconds: 900, answersToFinish: 1 };
    const clock = virtualClock();
    const byRemainder = new ProgressWait({ ...options, boundByElapsed: false }, clock.now);
    let state = byRemainder.next(START, { remaining: 10_000 });
    expect(state.waitSeconds, 'no rate yet').to.equal(5);
    clock.advance(100);
    // 1,000 fell in 100 s: 9,000 still need about 900 s, half of it 450 s; the time waited (100 s) would allow 10.
    state = byRemainder.next(state, { remaining: 9_000 });
    expect(state.waitSeconds).to.equal(450);
    const boundedClock = virtualClock();
    const boundedWait = new ProgressWait(options, boundedClock.now);
    let other = boundedWait.next(START, { remaining: 10_000 });
    boundedClock.advance(100);
    other = boundedWait.next(other, { remaining: 9_000 });
    expect(other.waitSeconds, 'bounded by a tenth of the time waited').to.equal(10);
  });
});
