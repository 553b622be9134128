import { MigrationError } from '../domain/index.ts';

/** Some records of a message hit 429, 5xx or timeouts: the message fails so SQS delivers it again (or dead-letters it). */
export class TransientDeliveryError extends MigrationError<{ collection: string; records: number; receiveCount: number }> {}

/** A producer held back because its queue was deep, and the queue did not fall for the drain timeout: the consumers are stuck. */
export class QueueBacklogStalledError extends MigrationError<{ depth: number; timeoutSeconds: number }> {}

/** DELETE_MISSING would delete more than the allowed share of a collection: nothing was deleted, the run fails with this one line. */
export class DeleteMissingRefusedError extends MigrationError<{
  customer: string;
  runId: string;
  maxShare: number;
  over: readonly { collection: string; gone: number; total: number }[];
}> {}
/**
 * A queue message that does not fit the queue-message schema, or whose parts
 * do not belong together (an externalRef of another sub-project, a claim of
 * another record). Nothing of it is sent or written: the message fails every
 * delivery and SQS dead-letters it; `issues` is the reason, logged each time.
 */
export class MalformedMessageError extends MigrationError<{ issues: string[] }> {}
