import { MigrationError } from '../domain/index.ts';

/** Details of a failed FiberConnect call; the token is never part of it. */
export interface TargetErrorContext extends Record<string, unknown> {
  method: string;
  path: string;
  /** HTTP status, or undefined when no answer came (timeout, dropped connection). */
  status?: number;
  /** FiberConnect's error code (`duplicate_external_ref`, `validation_failed`, ...). */
  code?: string;
  existingId?: string;
  retryAfterSeconds?: number;
}

/** FiberConnect answered with an error status, or not at all. */
export class TargetError extends MigrationError<TargetErrorContext> {
  /** True for what a retry may cure: 429, 5xx, timeouts and dropped connections. */
  public get transient(): boolean {
    const { status } = this.context;
    return status === undefined || status === 429 || status >= 500;
  }
}

/**
 * FiberConnect did not answer, or answered 429 or 5xx, during a control step
 * (save, switch off, check jobs, restore): the state machine retries the step
 * under this name for a few minutes, and a permanent refusal stays a {@link TargetError}.
 */
export class TargetUnavailableError extends MigrationError<TargetErrorContext> {}

/** The transient {@link TargetError} in `error` or in its `cause` chain, or undefined. */
export function transientTargetError(error: unknown, depth = 0): TargetError | undefined {
  if (!(error instanceof Error) || depth > 8) return undefined;
  if (error instanceof TargetError) return error.transient ? error : undefined;
  return transientTargetError(error.cause, depth + 1);
}

/** Statuses that say the token is refused (wrong, revoked, or not allowed), whatever the body: FiberConnect's 401, a gateway's HTML 401 or 403. */
export const REFUSED_TOKEN_STATUSES: readonly number[] = [401, 403];

/**
 * FiberConnect (or a gateway before it) refused the customer's token during
 * a run: no later request of the run can succeed, so the run stops (its drain
 * wait fails with this error, the target's settings are restored as after
 * any failure) instead of failing every record one by one.
 */
export class TargetRefusedError extends MigrationError<{ customer: string; runId: string; status?: number }> {}

/** The one line a refused token gives: names the customer and the answer, says what to check. */
export function refusedTokenMessage(customer: string, answer: string): string {
  return `FiberConnect refused the token of customer ${customer} (${answer}): the run stops; check the customer's token (FIBERCONNECT_TOKEN, or the stage's token parameter)`;
}
