/**
 * FiberConnect: the shared rate limiter, the one retry loop of its calls, removals, its errors and types.
 * The HTTP client is in client/, behind a face of its own.
 *
 * @packageDocumentation
 */
export { REFUSED_TOKEN_STATUSES, refusedTokenMessage, TargetError, TargetRefusedError, TargetUnavailableError, transientTargetError } from './errors.ts';
export { SharedRateLimiter } from './rate-limiter.ts';
export { classifyRemoval, removalRequest, type KeptReason, type RemovalOutcome } from './removal.ts';
export { withRetries, type RetryPolicy, type TransientAnswer } from './retry.ts';
export type { ApiErrorBody, FiberConnectConfig, NotificationSettings, TargetRequest, TargetResponse, Workflow } from './types.ts';
