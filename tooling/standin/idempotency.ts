import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from './constants.ts';
import { ApiError, malformed } from './errors.ts';
import type { StandinStore } from './store.ts';

/** An answer that can be sent, stored and replayed. */
export interface StoredAnswer {
  status: number;
  /** The JSON body, serialised. */
  body: string;
}

/**
 * The `Idempotency-Key` of a request: null when absent.
 * @throws ApiError 400 when present but not 1-255 characters.
 */
export function readIdempotencyKey(headers: IncomingHttpHeaders): string | null {
  const value = headers['idempotency-key'];
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.length < 1 || value.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw malformed(`Idempotency-Key must be 1-${IDEMPOTENCY_KEY_MAX_LENGTH} characters`, [
      { field: 'Idempotency-Key', issue: `must be 1-${IDEMPOTENCY_KEY_MAX_LENGTH} characters` },
    ]);
  }
  return value;
}

/** JSON with object keys sorted, so that the same body always has the same text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? '';
}

/** What makes two requests "the same": method, path and body. */
export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('base64url');
}

/**
 * Idempotency-Keys per customer. Only successful answers are stored (errors are thrown,
 * which rolls back the transaction the answer would be stored in): an error changed
 * nothing, and a client that retries with the same key after the cause is gone
 * (e.g. `planboard_not_ready`) must get its request processed, not the old error.
 */
export class IdempotencyKeys {
  public constructor(private readonly store: StandinStore) {}

  /**
   * The stored answer for this key, or null when the key is new.
   * @throws ApiError 422 `idempotency_key_reused` when the key was used for another request.
   */
  public replay(customer: string, key: string, requestFingerprint: string): StoredAnswer | null {
    const stored = this.store.getIdempotency(customer, key);
    if (!stored) return null;
    if (stored.fingerprint !== requestFingerprint) {
      throw new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request');
    }
    return { status: stored.status, body: stored.body };
  }

  /** Stores a successful answer; call inside the transaction that made the change. */
  public remember(customer: string, key: string, requestFingerprint: string, answer: StoredAnswer): void {
    this.store.putIdempotency(customer, key, { fingerprint: requestFingerprint, ...answer });
  }
}
