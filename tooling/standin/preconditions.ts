import type { IncomingHttpHeaders } from 'node:http';
import { malformed, versionMismatch } from './errors.ts';
import type { Resource } from './types.ts';

/** What an `If-Match` header asks for: any existing version (`*`), or one of these entity tags. */
export type IfMatch = { any: true } | { tags: string[] };

// One entity tag of RFC 9110 8.8.3: optional weak prefix, then a quoted string without quotes inside.
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/** The entity tag of a resource version: `"<version>"`. */
export function etagOf(resource: Resource): string {
  return `"${resource.version}"`;
}

/**
 * The `If-Match` header of a request: null when absent.
 * @throws ApiError 400 when it is neither `*` nor a list of entity tags.
 */
export function readIfMatch(headers: IncomingHttpHeaders): IfMatch | null {
  const raw = headers['if-match'];
  if (raw === undefined) return null;
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (value.trim() === '*') return { any: true };
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const matches = parts.map((part) => ENTITY_TAG.exec(part));
  if (parts.length === 0 || matches.some((match) => match === null)) {
    throw malformed('If-Match must be * or entity tags such as "3"', [{ field: 'If-Match', issue: 'must be * or "<version>"' }]);
  }
  // Weak tags never match in If-Match (strong comparison, RFC 9110 13.1.1).
  return { tags: matches.filter((match) => !match![1]).map((match) => `"${match![2]}"`) };
}

/**
 * Checks a precondition against the resource as it is (undefined: there is none).
 * @throws ApiError 412 `version_mismatch` with the current resource when it does not hold.
 */
export function assertIfMatch(ifMatch: IfMatch | null, current: Resource | undefined): void {
  if (ifMatch === null) return;
  if (current === undefined) throw versionMismatch(null);
  if ('any' in ifMatch) return;
  if (!ifMatch.tags.includes(etagOf(current))) throw versionMismatch(current);
}
