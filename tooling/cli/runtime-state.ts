import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '../../src/domain/index.ts';
import { DEFAULT_DATA_DIR } from '../local/constants.ts';

/** The slug of the local FiberConnect stand-in: it listens on a new port each time, so its URL cannot name its state. */
export const STANDIN_SLUG = 'standin';

/** What the emulators keep directly in their data directory; found in the root, it is a runtime from before one state per target. */
const EMULATOR_FOLDERS = ['dynamodb', 'sqs', 's3'] as const;

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/**
 * A target URL reduced to what names a FiberConnect: scheme, host, port
 * (the scheme's default filled in) and path (without a trailing slash);
 * credentials, query and fragment do not name another target.
 */
export function normaliseTargetUrl(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || DEFAULT_PORTS[parsed.protocol] || '';
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.hostname}:${port}${path}`;
}

/**
 * The folder name of one target's local state: readable (scheme, host, port,
 * path) plus a short hash of the normalised URL, since two URLs can read the
 * same once `/`, `.` and `:` become `-`. No URL (the local stand-in) is
 * {@link STANDIN_SLUG}.
 */
export function targetSlug(url: string | undefined): string {
  if (url === undefined) return STANDIN_SLUG;
  const normalised = normaliseTargetUrl(url);
  const readable = normalised
    .replace(/^(\w+):\/\//, '$1-')
    .replace(/[^a-z0-9.]+/gi, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  const hash = createHash('sha256').update(normalised).digest('hex').slice(0, 8);
  return `${readable}-${hash}`;
}

/**
 * The local runtime's data directory for a target: `<root>/<target slug>`, so
 * ledger, run table, limiter items, queues and bucket all switch with
 * FIBERCONNECT_URL. Refuses a root that still holds one shared runtime from
 * before (its ledger cannot say which target it belongs to).
 */
export function targetDataDir(targetUrl: string | undefined, root: string = DEFAULT_DATA_DIR): string {
  if (EMULATOR_FOLDERS.some((folder) => existsSync(join(root, folder)))) {
    throw new InvalidInputError(
      `${root} holds one runtime for every target (from before one ledger per target): run make clean (starts over), or if its runs went to the local stand-in move it: mkdir ${join(root, STANDIN_SLUG)} && mv ${EMULATOR_FOLDERS.map((folder) => join(root, folder)).join(' ')} ${join(root, STANDIN_SLUG)}/`,
      { input: 'LOCAL_DATA_DIR', issue: 'shared runtime' },
    );
  }
  return join(root, targetSlug(targetUrl));
}

/** Whether two target URLs name the same FiberConnect (see {@link normaliseTargetUrl}). */
export function sameTarget(a: string, b: string): boolean {
  return normaliseTargetUrl(a) === normaliseTargetUrl(b);
}
