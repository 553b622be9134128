/**
 * Progress-bounded waits: when to look again, when to give up.
 *
 * @packageDocumentation
 */
export { DRAINED_ANSWERS_TO_FINISH } from './constants.ts';
export { ProgressWait } from './progress-wait.ts';
export type { ProgressWaitState } from './types.ts';
