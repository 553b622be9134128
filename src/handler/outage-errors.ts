import { connectionLossCode, LegacyDbUnreachableError } from '../source/index.ts';
import { TargetUnavailableError, transientTargetError } from '../target/index.ts';

/**
 * The error a Step Functions Retry names for an outage of either system:
 * a lost legacy connection becomes {@link LegacyDbUnreachableError}, a
 * transient FiberConnect failure (no answer, 429, 5xx) {@link TargetUnavailableError};
 * any other error comes back unchanged, so a real fault is not retried.
 * `address` names the legacy database (never its password).
 */
export function asOutageError(error: unknown, address = 'registry'): unknown {
  if (error instanceof LegacyDbUnreachableError || error instanceof TargetUnavailableError) return error;
  const code = connectionLossCode(error);
  if (code) return new LegacyDbUnreachableError(`legacy database unreachable (${code})`, { address, cause: code }, { cause: error });
  const target = transientTargetError(error);
  if (target) return new TargetUnavailableError(`FiberConnect unavailable: ${target.message}`, target.context, { cause: error });
  return error;
}

/**
 * Runs a handler's work and throws what {@link asOutageError} makes of its failure.
 *
 * @example
 * return withOutageErrors(() => producer.produce(scope, range, page, deadline), scope.database); // a lost connection: LegacyDbUnreachableError
 */
export async function withOutageErrors<T>(work: () => Promise<T>, address?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asOutageError(error, address);
  }
}
