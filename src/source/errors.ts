import { MigrationError } from '../domain/index.ts';

/** The legacy database cannot be reached or refused the login. `address` never holds the password. */
export class LegacyDbUnreachableError extends MigrationError<{ address: string; cause: string }> {}

/** A name that must be a registered sub-project database is not one. */
export class UnknownSubprojectError extends MigrationError<{ database: string }> {}

/**
 * Error codes that mean the connection to the legacy database is gone or
 * cannot be made (socket, DNS, mysql2 protocol and server codes), not that
 * a query was wrong: retrying later can succeed.
 */
export const CONNECTION_LOSS_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
  'ER_NET_WRITE_INTERRUPTED',
]);

/** mysql2's errors on a connection that already died carry no code, only these messages. */
const CLOSED_STATE = /^Can't (add new command|write) (when connection is )?in closed state/;

/**
 * The connection-loss code of `error` or of any error in its `cause` chain
 * (an AggregateError's errors too: Node's connect tries every address), or
 * undefined when it is some other failure.
 */
export function connectionLossCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 8) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && CONNECTION_LOSS_CODES.has(code)) return code;
  if (CLOSED_STATE.test(error.message)) return 'PROTOCOL_CONNECTION_LOST';
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = connectionLossCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return connectionLossCode(error.cause, depth + 1);
}
