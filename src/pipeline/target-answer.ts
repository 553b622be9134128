import { createHash } from 'node:crypto';
import type { MappedRequest } from '../domain/mapping/index.ts';
import type { Collection, FailureCode } from '../domain/index.ts';
import type { RecordOutcome } from '../ledger/index.ts';
import { type ApiErrorBody, REFUSED_TOKEN_STATUSES, type TargetResponse, type TransientAnswer } from '../target/index.ts';

/** FiberConnect refused the token (401, 403): no outcome for the record, the run stops. */
export interface RefusedAnswer {
  status: 'refused';
  message: string;
}

/** What one call of a record came to: its outcome, an answer worth trying again, or a refused token. */
export type CallOutcome = RecordOutcome | TransientAnswer | RefusedAnswer;

/** Idempotency-Key of one record's call: the same record with the same body always sends the same key. */
export function idempotencyKey(customer: string, collection: Collection, request: MappedRequest<unknown>, generation = 0): string {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.from(JSON.stringify(request.body));
  // A record created again after a rollback removed it needs a new key: the target replays a key's answer even after the deletion.
  const hash = createHash('sha256').update(`${customer}\n${collection}\n${request.externalRef}\n`);
  if (generation > 0) hash.update(`generation ${generation}\n`);
  return hash.update(body).digest('hex');
}

/**
 * Whether an id FiberConnect gave can stand in a later request's path: not
 * `.` or `..` (which encodeURIComponent leaves as they are, and a URL
 * resolves to the parent: a DELETE of `/v1/projects/..` is a DELETE of
 * `/v1/`), no control character, at most 255 characters. The queue-message
 * schema holds removals to the same rule.
 */
export function isUsableTargetId(id: unknown): id is string {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  return typeof id === 'string' && id.length > 0 && id.length <= 255 && id !== '.' && id !== '..' && !/[\u0000-\u001f\u007f]/.test(id);
}

/** Sorts one target answer into an outcome (docs/fiberconnect-api.md, errors, and docs/mapping.md step 6). */
export function classifyAnswer(response: TargetResponse<unknown>, request: MappedRequest<unknown>): CallOutcome {
  const { status } = response;
  const body = response.body as { id?: string; version?: number } & Partial<ApiErrorBody>;
  if (status >= 200 && status < 300) {
    // A PATCH answers the work order itself, whose id is in the path (encoded by the engine); any other answer must name what it created (a document's id is not its work order's).
    const inPath = request.method === 'PATCH' ? request.path.match(/^\/v1\/work-orders\/([^/]+)$/)?.[1] : undefined;
    const targetId = typeof body?.id === 'string' ? body.id : inPath === undefined ? undefined : decodeURIComponent(inPath);
    if (!targetId) return { status: 'failed', code: 'rejected_by_target', message: `answer ${status} carried no id` };
    if (!isUsableTargetId(targetId))
      return {
        status: 'failed',
        code: 'rejected_by_target',
        message: `answer ${status} carried the id ${JSON.stringify(targetId)}, which no later request may put in a path`,
      };
    // A PATCH changes a record the engine made earlier: it creates nothing.
    return {
      status: 'migrated',
      targetId,
      ...(request.method === 'PATCH' ? {} : { origin: 'created' as const }),
      ...(typeof body.version === 'number' ? { targetVersion: body.version } : {}),
    };
  }
  const error = body?.error;
  const message = error?.message ?? `HTTP ${status}`;
  // Whatever the body (JSON, a gateway's HTML login page): no request of this customer can succeed now.
  if (REFUSED_TOKEN_STATUSES.includes(status)) return { status: 'refused', message: `${status}${error?.code ? ` ${error.code}` : ''}: ${message}` };
  if (status === 429 || status >= 500) {
    return {
      status: 'transient',
      message: `${status} ${message}`,
      pauseEveryone: status === 429,
      ...(response.retryAfterSeconds !== undefined ? { retryAfterSeconds: response.retryAfterSeconds } : {}),
    };
  }
  if (status === 409 && error?.code === 'duplicate_external_ref' && error.existingId) {
    if (!isUsableTargetId(error.existingId))
      return {
        status: 'failed',
        code: 'rejected_by_target',
        message: `409 named the existing id ${JSON.stringify(error.existingId)}, which no later request may put in a path`,
      };
    return { status: 'migrated', targetId: error.existingId, origin: 'adopted' };
  }
  if (status === 409 && error?.code === 'duplicate_address') return { status: 'failed', code: 'duplicate', message };
  // The target's planboard job is not done yet: try again later, it is not the record's fault.
  if (status === 409 && error?.code === 'planboard_not_ready') return { status: 'transient', message };
  const field = error?.details?.[0]?.field;
  const code: FailureCode = status === 413 ? 'too_large' : error?.code === 'digest_mismatch' ? 'checksum_mismatch' : 'rejected_by_target';
  return { status: 'failed', code, message: `${status} ${error?.code ?? ''}: ${message}`.trim(), ...(field ? { field } : {}) };
}
