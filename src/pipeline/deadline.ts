import type { TargetRequest } from '../target/index.ts';

/**
 * `request` bounded to end by `deadline` (ms since epoch; infinite: no
 * bound), or undefined when the deadline has passed. A delivery's last call
 * must end before the Lambda's timeout, not merely start before it: a call
 * still running when the Lambda is stopped would leave the outcomes the
 * delivery had already written without their counters.
 */
export function boundedCall(request: TargetRequest, deadline: number, now = Date.now()): TargetRequest | undefined {
  if (now >= deadline) return undefined;
  return Number.isFinite(deadline) ? { ...request, timeoutMs: deadline - now } : request;
}
