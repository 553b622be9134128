import { MigrationError } from '../domain/errors.ts';

/** Some records of a message hit 429, 5xx or timeouts: the message fails so SQS delivers it again (or dead-letters it). */
export class TransientDeliveryError extends MigrationError<{ collection: string; records: number; receiveCount: number }> {}
