import type { Collection } from '../domain/index.ts';
import type { ApiErrorBody, TargetRequest, TargetResponse } from './types.ts';
import { REFUSED_TOKEN_STATUSES } from './errors.ts';
import type { TransientAnswer } from './retry.ts';

/** Why a record the engine wanted to remove stays in FiberConnect. */
export type KeptReason = 'adopted' | 'target_changed' | 'has_children';

/** What one DELETE did. */
export type RemovalOutcome =
  | { status: 'removed' }
  /** 404: gone already (deleted before, by a person or an earlier try): not an error. */
  | { status: 'alreadyGone' }
  /** 412 (a person changed it since the engine's last write) or 409 `has_children` (a person put children under it). */
  | { status: 'kept'; reason: Exclude<KeptReason, 'adopted'>; message: string }
  | TransientAnswer
  /** 401 or 403, whatever the body: the token is refused, the rollback stops (no outcome for the record). */
  | { status: 'refused'; message: string }
  | { status: 'failed'; message: string };

/**
 * The DELETE of one record, with `If-Match` of the version the engine last
 * wrote (none known: unconditional). Every collection is removed at
 * `/v1/<collection>/<id>`, documents too; a work-order update is its work
 * order and is never removed on its own.
 */
export function removalRequest(collection: Exclude<Collection, 'work-order-updates'>, targetId: string, version?: number): TargetRequest {
  return {
    method: 'DELETE',
    path: `/v1/${collection}/${encodeURIComponent(targetId)}`,
    ...(version !== undefined ? { headers: { 'If-Match': `"${version}"` } } : {}),
  };
}

/** Sorts a DELETE's answer (docs/fiberconnect-api.md, removal and conditional requests). */
export function classifyRemoval(response: TargetResponse<unknown>): RemovalOutcome {
  const { status } = response;
  const error = (response.body as Partial<ApiErrorBody> | undefined)?.error;
  const message = `${status} ${error?.code ?? ''}: ${error?.message ?? `HTTP ${status}`}`.replace(' :', ':');
  if (status === 204 || status === 200) return { status: 'removed' };
  if (status === 404) return { status: 'alreadyGone' };
  if (REFUSED_TOKEN_STATUSES.includes(status)) return { status: 'refused', message };
  if (status === 412) return { status: 'kept', reason: 'target_changed', message };
  if (status === 409 && error?.code === 'has_children') return { status: 'kept', reason: 'has_children', message };
  if (status === 429 || status >= 500)
    return {
      status: 'transient',
      message,
      pauseEveryone: status === 429,
      ...(response.retryAfterSeconds !== undefined ? { retryAfterSeconds: response.retryAfterSeconds } : {}),
    };
  return { status: 'failed', message };
}
