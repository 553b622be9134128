import { MAX_WAIT_SECONDS, SHARE_OF_ELAPSED, SHARE_OF_ESTIMATED_REMAINDER } from './constants.ts';
import type { ProgressObservation, ProgressWaitOptions, ProgressWaitState } from './types.ts';

/**
 * Decides, look after look, whether a wait goes on, ends or fails. The wait
 * is bounded by lack of progress, never by the size of the work: it fails
 * only when nothing moved for `timeoutSeconds` (neither did `remaining` fall
 * below its lowest nor `completed` rise). The pause before the next look
 * grows with the wait, so a long wait writes few state machine events:
 * at most half the estimated time still needed (from the rate measured since
 * the first look, or from `completed` when `completedPerRemaining` is set
 * and that is faster), at most a tenth of the time waited so far (unless
 * `boundByElapsed` is false and a rate is measured), at least
 * `minWaitSeconds`.
 *
 * @example
 * const wait = new ProgressWait({ minWaitSeconds: 5, timeoutSeconds: 600, answersToFinish: 1 });
 * const state = wait.next(previous, { remaining: pendingJobs }); // previous: { looks: 0 } before the first look
 * if (!state.finished && !state.timedOut) await sleep(state.waitSeconds * 1000); // then look again with `state`
 */
export class ProgressWait {
  public constructor(
    private readonly options: ProgressWaitOptions,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The state after one more look that saw `observation`. */
  public next(previous: ProgressWaitState, observation: ProgressObservation): ProgressWaitState {
    const now = this.clock();
    const { remaining } = observation;
    const first = previous.looks === 0 || previous.startedAt === undefined;
    const startedAt = first ? now : previous.startedAt!;
    const lowestBefore = first ? Number.POSITIVE_INFINITY : (previous.lowestRemaining ?? Number.POSITIVE_INFINITY);
    const completedBefore = previous.completed ?? 0;
    const completed = Math.max(completedBefore, observation.completed ?? 0);
    const progressed = first || remaining < lowestBefore || completed > completedBefore;
    const lastProgressAt = progressed ? now : (previous.lastProgressAt ?? startedAt);
    const emptyInARow = remaining === 0 ? (previous.emptyInARow ?? 0) + 1 : 0;
    const finished = emptyInARow >= this.options.answersToFinish;
    const timedOut = !finished && (now - lastProgressAt) / 1000 >= this.options.timeoutSeconds;
    const firstRemaining = first ? remaining : previous.firstRemaining!;
    const firstCompleted = first ? (observation.completed ?? 0) : (previous.firstCompleted ?? completed);
    return {
      looks: previous.looks + 1,
      startedAt,
      lastProgressAt,
      firstRemaining,
      lowestRemaining: Math.min(lowestBefore, remaining),
      completed,
      firstCompleted,
      remaining,
      emptyInARow,
      waitSeconds:
        remaining === 0
          ? Math.ceil(this.options.minWaitSeconds)
          : this.waitSeconds((now - startedAt) / 1000, firstRemaining, remaining, completed - firstCompleted),
      finished,
      timedOut,
    };
  }

  /** Seconds until the next look: see the class comment. */
  private waitSeconds(elapsedSeconds: number, firstRemaining: number, remaining: number, completedSinceFirst: number): number {
    const fallen = firstRemaining - remaining;
    // Work off `remaining` at the faster of its net fall and the rate `completed` rose (when that counts the same work).
    const perRemaining = this.options.completedPerRemaining;
    const done = Math.max(fallen, perRemaining ? completedSinceFirst / perRemaining : 0);
    const estimatedRemainder = done > 0 && elapsedSeconds > 0 ? (remaining * elapsedSeconds) / done : Number.POSITIVE_INFINITY;
    const byElapsed =
      this.options.boundByElapsed === false && Number.isFinite(estimatedRemainder) ? Number.POSITIVE_INFINITY : elapsedSeconds * SHARE_OF_ELAPSED;
    const wait = Math.min(estimatedRemainder * SHARE_OF_ESTIMATED_REMAINDER, byElapsed, MAX_WAIT_SECONDS);
    // Whole seconds: the Wait state's SecondsPath takes a positive integer.
    return Math.max(Math.ceil(this.options.minWaitSeconds), Math.floor(wait));
  }
}
