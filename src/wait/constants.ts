/**
 * How a progress-bounded wait spaces its looks. The numbers bound the
 * execution history of the state machine that loops on the wait: looks are
 * spaced at most a tenth of the time waited so far, so their number grows
 * with the logarithm of the wait's length (about 140 looks for 115 days),
 * never with the size of the work.
 */

/** A look comes after at most this share of the estimated time still needed, so the end is seen soon after it comes. */
export const SHARE_OF_ESTIMATED_REMAINDER = 0.5;

/** A look comes after at most this share of the time waited so far: long waits look rarely, short ones often. */
export const SHARE_OF_ELAPSED = 0.1;

/** Longest pause between two looks, whatever the estimates say. */
export const MAX_WAIT_SECONDS = 86_400;

/** Answers in a row that must see nothing left before the wait ends: SQS counts are approximate. */
export const DRAINED_ANSWERS_TO_FINISH = 2;
