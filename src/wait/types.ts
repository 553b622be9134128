/** Types of a progress-bounded wait (a state machine loop that asks a Lambda whether to go on waiting). */

/** What one look at the work saw. */
export interface ProgressObservation {
  /** Work still to do (messages in a queue, pending jobs): falling is progress. */
  remaining: number;
  /** Work done so far, when a counter of it exists (outcomes written): rising is progress. */
  completed?: number;
}

/** How a wait is bounded and paced. */
export interface ProgressWaitOptions {
  /** Shortest pause between two looks, in seconds. */
  minWaitSeconds: number;
  /** The wait fails after this many seconds without progress. */
  timeoutSeconds: number;
  /** Answers in a row that must see nothing remaining before the wait finishes. */
  answersToFinish: number;
  /**
   * False: once a rate is measured, the pause is bounded by the estimated
   * remainder alone, not by the time waited so far (a producer's hold of
   * days then looks a few dozen times). Default true.
   */
  boundByElapsed?: boolean;
  /**
   * How much `completed` rises per unit of `remaining` worked off (records
   * per message). When set, the rate is also measured from `completed`
   * since the first look: the work done, whatever others add to `remaining`
   * meanwhile (the other producers of a queue), and the faster of the two
   * rates paces the looks.
   */
  completedPerRemaining?: number;
}

/**
 * Where a wait stands: travels through the state machine's input (JSONPath
 * only) from one look to the next. `looks: 0` is a wait that has not looked yet.
 */
export interface ProgressWaitState {
  looks: number;
  /** Epoch milliseconds of the first look. */
  startedAt?: number;
  /** Epoch milliseconds of the last look that saw progress. */
  lastProgressAt?: number;
  /** What remained at the first look, the base of the rate estimate. */
  firstRemaining?: number;
  /** The least that remained at any look (approximate counts may go up and down). */
  lowestRemaining?: number;
  /** The highest completed count seen. */
  completed?: number;
  /** The completed count at the first look, the base of the rate from `completed`. */
  firstCompleted?: number;
  /** What remained at the last look. */
  remaining?: number;
  /** Looks in a row that saw nothing remaining. */
  emptyInARow?: number;
  /** Seconds the state machine waits before the next look. */
  waitSeconds: number;
  /** Nothing remains: the state machine goes on. */
  finished: boolean;
  /** No progress for `timeoutSeconds`: the state machine fails the wait. */
  timedOut: boolean;
}
