import { expect } from 'chai';
import { holdBack, RESUME_QUEUE_BACKLOG } from '../../../src/pipeline/back-pressure.ts';
import { MAX_QUEUE_BACKLOG } from '../../../src/profile/run-options.ts';
import { QueueBacklogStalledError } from '../../../src/pipeline/errors.ts';
import type { ProgressWaitState } from '../../../src/wait/types.ts';

const OPTIONS = { pollSeconds: 5, timeoutSeconds: 900 };
const EPOCH = Date.UTC(2026, 0, 1);
const at = (seconds: number) => () => EPOCH + seconds * 1000;
/** A queue this deep, its collection's outcome counter at `completed`. */
const q = (depth: number, completed = 0) => ({ depth, completed });

describe('producer back-pressure (src/pipeline/back-pressure.ts)', () => {
  it('goes on below the most, holds from it', () => {
    expect(holdBack(q(MAX_QUEUE_BACKLOG - 1), undefined, OPTIONS, at(0))).to.equal(undefined);
    expect(holdBack(q(MAX_QUEUE_BACKLOG), undefined, OPTIONS, at(0))).to.include({
      looks: 1,
      waitSeconds: 5,
      remaining: MAX_QUEUE_BACKLOG - RESUME_QUEUE_BACKLOG,
    });
  });

  it('once holding, holds until the queue is down to the resume level (few holds, whatever the size)', () => {
    const held = holdBack(q(MAX_QUEUE_BACKLOG), undefined, OPTIONS, at(0))!;
    expect(holdBack(q(RESUME_QUEUE_BACKLOG + 1), held, OPTIONS, at(5))).to.include({ looks: 2 });
    expect(holdBack(q(RESUME_QUEUE_BACKLOG), held, OPTIONS, at(5))).to.equal(undefined);
  });

  it('looks again after half the time the queue should still need at the rate it fell, within a day and no sooner than pollSeconds', () => {
    const held = holdBack(q(MAX_QUEUE_BACKLOG), undefined, OPTIONS, at(0))!;
    // 10,000 messages in 100 s: 40,000 more to the resume level take 400 s; the next look comes after 200 s.
    expect(holdBack(q(MAX_QUEUE_BACKLOG - 10_000), held, OPTIONS, at(100))!.waitSeconds).to.equal(200);
    // One message in 100 s: the estimate is years; the look still comes within a day.
    expect(holdBack(q(MAX_QUEUE_BACKLOG - 1), held, OPTIONS, at(100))!.waitSeconds).to.equal(86_400);
    // Nothing fell: spaced as a drain wait's looks (pollSeconds early on).
    expect(holdBack(q(MAX_QUEUE_BACKLOG), held, OPTIONS, at(5))!.waitSeconds).to.equal(5);
  });

  it("holds from a run's lower backlog and goes on once the queue is down to half of it", () => {
    const options = { ...OPTIONS, backlog: 2000 };
    expect(holdBack(q(1999), undefined, options, at(0))).to.equal(undefined);
    const held = holdBack(q(2000), undefined, options, at(0))!;
    expect(held).to.include({ looks: 1, remaining: 1000 });
    expect(holdBack(q(1001), held, options, at(5))).to.include({ looks: 2 });
    expect(holdBack(q(1000), held, options, at(5))).to.equal(undefined);
  });

  it('paces its looks by the outcomes written when other producers keep the queue from falling, so the consumers never wait for a late look', () => {
    const paced = { ...OPTIONS, backlog: 2000, recordsPerMessage: 10 };
    const held = holdBack(q(2000, 0), undefined, paced, at(0))!;
    // 10 s later the queue fell by 10 only (the other producers still fill it), but 1,000 records (100 messages) were worked off: 990 more take 99 s.
    expect(holdBack(q(1990, 1000), held, paced, at(10))!.waitSeconds).to.equal(49);
    // Paced by the net fall alone, the same look would come after 495 s, long after the queue ran dry.
    expect(holdBack(q(1990, 1000), held, { ...OPTIONS, backlog: 2000 }, at(10))!.waitSeconds).to.equal(495);
  });

  it('fails with QueueBacklogStalledError when the queue has not fallen for timeoutSeconds (the consumers are stuck)', () => {
    let held: ProgressWaitState = holdBack(q(MAX_QUEUE_BACKLOG), undefined, OPTIONS, at(0))!;
    held = holdBack(q(MAX_QUEUE_BACKLOG), held, OPTIONS, at(899))!;
    expect(held.timedOut).to.equal(false);
    expect(() => holdBack(q(MAX_QUEUE_BACKLOG), held, OPTIONS, at(900))).to.throw(QueueBacklogStalledError, 'neither fell nor saw an outcome for 900 s');
  });

  it('counts outcomes as progress: other producers (other sub-projects) may keep the queue from falling while the consumers work', () => {
    let held: ProgressWaitState = holdBack(q(MAX_QUEUE_BACKLOG, 10), undefined, OPTIONS, at(0))!;
    held = holdBack(q(MAX_QUEUE_BACKLOG + 500, 20), held, OPTIONS, at(800))!;
    expect(holdBack(q(MAX_QUEUE_BACKLOG + 900, 30), held, OPTIONS, at(1600))).to.include({ timedOut: false, completed: 30 });
  });
});
