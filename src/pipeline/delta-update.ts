import { createHash } from 'node:crypto';
import { changedFields, type FieldHashes, fieldHashesOf, fieldHashesOfObject, type MappedRequest, mergePatchOf } from '../domain/mapping/index.ts';
import { definitionOf, recordPathOf } from '../domain/collections/index.ts';
import type { Collection } from '../domain/index.ts';
import { type ApiErrorBody, REFUSED_TOKEN_STATUSES, type TargetRequest, type TargetResponse } from '../target/index.ts';

/**
 * What a delta sends for a changed row of a migrated record: nothing when no
 * mapped field changed (`unchanged`), else the merge patch of exactly the
 * changed fields (documents: the new bytes, sent only when the bytes
 * changed) with `If-Match` of the version the engine last wrote.
 */
export type DeltaRequest = { kind: 'unchanged' } | { kind: 'send'; request: TargetRequest; fields: string[] };

/** The answer to a delta's request, sorted: what the ledger then records. */
export type DeltaAnswer =
  | { status: 'updated'; targetVersion?: number }
  | { status: 'target_changed'; message: string }
  | { status: 'transient'; message: string; retryAfterSeconds?: number; pauseEveryone?: boolean }
  | { status: 'refused'; message: string }
  | { status: 'failed'; message: string; field?: string };

/**
 * The delta request of a changed row. `request` is the row mapped again (with
 * its parents' current target ids, so a moved child patches its parent id);
 * `previous` what the engine last sent; `version` the record's version after
 * the engine's last write (a work-order update: its work order's).
 */
export function deltaRequest(
  collection: Collection,
  request: MappedRequest<unknown>,
  targetId: string,
  previous: FieldHashes | undefined,
  version: number | undefined,
): DeltaRequest {
  const fields = changedFields(previous ?? {}, request);
  // The target replaces a document only for other bytes (the same bytes are a no-op 200): a new file name or type alone cannot be sent.
  if (fields.length === 0 || (Buffer.isBuffer(request.body) && !fields.includes('content'))) return { kind: 'unchanged' };
  const headers: Record<string, string> = version === undefined ? {} : { 'If-Match': `"${version}"` };
  // A document is replaced whole by a PUT of its new bytes at its URL.
  if (Buffer.isBuffer(request.body))
    return { kind: 'send', fields, request: { method: 'PUT', path: request.path, body: request.body, headers: { ...request.headers, ...headers } } };
  // Patched where the record lives: a created record at its own id, a work-order update at its work order's.
  const path = recordPathOf(collection, request, targetId);
  return {
    kind: 'send',
    fields,
    request: { method: 'PATCH', path, body: mergePatchOf(previous ?? {}, request as MappedRequest<Record<string, unknown>>), headers },
  };
}

/**
 * Whether a record as the target holds it already carries what the delta
 * sends: the engine's own write of an earlier, killed run (its ledger write
 * was lost). Then a 412 is no person's change, and nothing is sent twice.
 */
export function holdsDelta(current: Record<string, unknown>, request: MappedRequest<unknown>, fields: readonly string[]): boolean {
  if (Buffer.isBuffer(request.body)) return current.sha256 === createHash('sha256').update(request.body).digest('hex');
  const now = fieldHashesOfObject(current);
  const wanted = fieldHashesOf(request);
  return fields.every((field) => now[field] === wanted[field]);
}

/**
 * The fields a person changed: those whose value in the target differs from
 * what the engine last wrote (documents: the content, file name or type).
 */
export function fieldsChangedInTarget(current: Record<string, unknown>, previous: FieldHashes | undefined, collection: Collection): string[] {
  // A record replaced whole (a document's bytes): what changed is its content.
  const content = definitionOf(collection).content;
  if (content) return [content.column];
  const now = fieldHashesOfObject(current);
  return Object.keys(previous ?? {})
    .filter((field) => now[field] !== previous?.[field])
    .sort();
}

/** Sorts the answer to a delta's PATCH or PUT (docs/mapping.md, delta re-runs). */
export function classifyDeltaAnswer(
  response: TargetResponse<unknown>,
  request: MappedRequest<unknown>,
  fields: readonly string[],
  previous: FieldHashes | undefined,
  collection: Collection,
): DeltaAnswer {
  const { status } = response;
  const body = response.body as { version?: number } & Partial<ApiErrorBody> & { error?: { current?: Record<string, unknown> } };
  if (status >= 200 && status < 300) return { status: 'updated', ...(typeof body?.version === 'number' ? { targetVersion: body.version } : {}) };
  const error = body?.error;
  const message = `${status} ${error?.code ?? ''}: ${error?.message ?? `HTTP ${status}`}`.replace(' :', ':');
  if (REFUSED_TOKEN_STATUSES.includes(status)) return { status: 'refused', message };
  if (status === 429 || status >= 500) {
    return {
      status: 'transient',
      message,
      pauseEveryone: status === 429,
      ...(response.retryAfterSeconds !== undefined ? { retryAfterSeconds: response.retryAfterSeconds } : {}),
    };
  }
  if (status === 412) {
    const current = error?.current;
    if (current && holdsDelta(current, request, fields))
      return { status: 'updated', ...(typeof current.version === 'number' ? { targetVersion: current.version } : {}) };
    const changed = current ? fieldsChangedInTarget(current, previous, collection) : [];
    return {
      status: 'target_changed',
      message: `a person changed the record in FiberConnect (${changed.length > 0 ? `fields ${changed.join(', ')}` : 'its version moved on'}): nothing was overwritten; the delta would set ${fields.join(', ')}`,
    };
  }
  const field = error?.details?.[0]?.field;
  return { status: 'failed', message, ...(field ? { field } : {}) };
}
