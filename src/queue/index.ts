/**
 * The collection queues: drain depth and check, dead-letter copies, one customer's dead-letter redrive.
 *
 * @packageDocumentation
 */
export { withDeadLetterCopies } from './dead-letter-archive.ts';
export { checkDrain, messagesIn, queueDepth, type DrainState, type QueueDepth } from './drain.ts';
export { redrive, type RedriveResult } from './redrive.ts';
