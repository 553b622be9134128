import { createHash } from 'node:crypto';
import type { MappedRequest } from './types.ts';

/**
 * What the engine last sent of one record, field by field: a short SHA-256
 * of each leaf of the mapped body, keyed by its dotted path (`address.street`).
 * Leaves, not top-level fields, so a delta's merge patch can set or remove
 * one part of a nested object without resending the rest. A document's
 * bytes count as one leaf (`content`), with its file name and type: the
 * ledger holds the digest, never the bytes.
 */
export type FieldHashes = Record<string, string>;

/** Hex characters kept of each SHA-256: 64 bits tell two values of one field apart; the ledger item stays small. */
const HASH_LENGTH = 16;

function hashOf(value: unknown): string {
  const hash = createHash('sha256');
  hash.update(Buffer.isBuffer(value) ? value : JSON.stringify(value));
  return hash.digest('hex').slice(0, HASH_LENGTH);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Every leaf of a JSON body by dotted path; `externalRef` is left out (it never changes). */
function leavesOf(body: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const leaves: [string, unknown][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || (prefix === '' && name === 'externalRef')) continue;
    if (isObject(value)) leaves.push(...leavesOf(value, `${prefix}${name}.`));
    else leaves.push([`${prefix}${name}`, value]);
  }
  return leaves;
}

/** The leaves of a mapped request: a JSON body's fields, or a document's bytes, file name and type. */
function requestLeaves(request: MappedRequest<unknown>): [string, unknown][] {
  if (Buffer.isBuffer(request.body)) {
    return [
      ['content', request.body],
      ['fileName', request.headers['X-File-Name']],
      ['contentType', request.headers['Content-Type']],
    ];
  }
  return leavesOf(request.body as Record<string, unknown>);
}

/** The field hashes of what a mapped request sends. */
export function fieldHashesOf(request: MappedRequest<unknown>): FieldHashes {
  return Object.fromEntries(requestLeaves(request).map(([path, value]) => [path, hashOf(value)]));
}

/**
 * The field hashes of a record as the target answers it (a 412's
 * `error.current`): the same leaves, so they compare with what was sent.
 * A `null` is an absent field, as in a merge patch.
 */
export function fieldHashesOfObject(record: Record<string, unknown>): FieldHashes {
  return Object.fromEntries(
    leavesOf(record)
      .filter(([, value]) => value !== null)
      .map(([path, value]) => [path, hashOf(value)]),
  );
}

/** The dotted paths whose value differs between what was sent last and the new request (set, changed or gone). */
export function changedFields(previous: FieldHashes, request: MappedRequest<unknown>): string[] {
  const next = fieldHashesOf(request);
  const paths = new Set([...Object.keys(previous), ...Object.keys(next)]);
  return [...paths].filter((path) => previous[path] !== next[path]).sort();
}

/**
 * The JSON merge patch (RFC 7386) that turns what was sent last into the new
 * body: exactly the changed leaves, nested as in the body, and `null` for
 * what the new body no longer has (the whole object when nothing of it is
 * left, e.g. a `location` dropped). Empty when nothing changed. Not for
 * documents: a changed document is sent as its new bytes.
 */
export function mergePatchOf(previous: FieldHashes, request: MappedRequest<Record<string, unknown>>): Record<string, unknown> {
  const values = new Map(leavesOf(request.body));
  const paths = [...values.keys()];
  const patch: Record<string, unknown> = {};
  for (const path of changedFields(previous, request)) {
    const names = path.split('.');
    // A removed leaf takes its highest ancestor along when nothing new lives under it.
    const depth = values.has(path)
      ? names.length
      : names.findIndex((_, i) => !paths.some((p) => p.startsWith(`${names.slice(0, i + 1).join('.')}.`) || p === names.slice(0, i + 1).join('.'))) + 1;
    let target = patch;
    for (const name of names.slice(0, depth - 1)) {
      if (!isObject(target[name])) target[name] = {};
      target = target[name] as Record<string, unknown>;
    }
    const name = names[depth - 1]!;
    if (target[name] === null) continue;
    target[name] = values.has(path) ? values.get(path) : null;
  }
  return patch;
}
