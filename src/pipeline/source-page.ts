import type { RowDataPacket } from 'mysql2/promise';
import type { CollectionDefinition } from '../domain/collections/index.ts';
import { MAX_DOCUMENT_BYTES } from '../domain/index.ts';
import { connectionLossCode } from '../source/index.ts';
import { SOURCE_PAGE_BYTES } from './constants.ts';
import type { SourceQueries } from './types.ts';

/** Where one keyset page reads: ids in `(afterId, lastId]`, at most `rowLimit` rows and `byteBudget` bytes of blobs. */
export interface PageSpan {
  afterId: number;
  lastId: number;
  rowLimit: number;
  /** Default {@link SOURCE_PAGE_BYTES}. */
  byteBudget?: number;
}

/** One page of rows in id order; `more` when the page was cut (by rows or bytes), so rows after its last may follow. */
export interface SourcePage {
  rows: Record<string, unknown>[];
  more: boolean;
}

/** Set on a row whose blob was not read: over the target's limit, or the read failed. The mapping fails the record `too_large`. */
export const CONTENT_ERROR = 'content_error';

/**
 * Reads one keyset page of a collection's table. A table without a blob is
 * one query, cut by rows. A table with one (documents) is read in two steps:
 * the rows with each blob's real length (`LENGTH()`, not a size column the
 * legacy data may get wrong), then the blobs of the rows that fit the byte
 * budget, in id order; the page ends before the first row that would pass it
 * (a page always takes its first row, and a blob is never over the budget, see
 * {@link SOURCE_PAGE_BYTES}). A blob over the target's limit is never read;
 * one whose read fails (other than a lost connection, which is an outage)
 * fails its record, never the page.
 *
 * @example
 * const { rows, more } = await readSourcePage(pool, definitionOf('documents'), { afterId: 0, lastId: 1000, rowLimit: 500 });
 */
export async function readSourcePage(
  pool: SourceQueries,
  definition: Pick<CollectionDefinition, 'sourceQuery' | 'content'>,
  span: PageSpan,
): Promise<SourcePage> {
  const [rows] = await pool.query<RowDataPacket[]>(definition.sourceQuery, [span.afterId, span.lastId, span.rowLimit]);
  const full = rows.length >= span.rowLimit;
  if (!definition.content) return { rows, more: full };
  const { column, lengthColumn } = definition.content;
  const budget = span.byteBudget ?? SOURCE_PAGE_BYTES;
  const page: Record<string, unknown>[] = [];
  const toRead: number[] = [];
  let bytes = 0;
  for (const row of rows) {
    const length = Number(row[lengthColumn] ?? 0);
    if (length > MAX_DOCUMENT_BYTES) {
      page.push({ ...row, [CONTENT_ERROR]: `${length} bytes, over the target's limit of ${MAX_DOCUMENT_BYTES}: not read` });
      continue;
    }
    if (toRead.length > 0 && bytes + length > budget) return { rows: await withContents(pool, definition.content, page, toRead, column), more: true };
    bytes += length;
    toRead.push(Number(row.id));
    page.push(row);
  }
  return { rows: await withContents(pool, definition.content, page, toRead, column), more: full };
}

/** The page's rows with the blobs of `ids` in `column`: one query, or one per row when that one fails. */
async function withContents(
  pool: SourceQueries,
  content: NonNullable<CollectionDefinition['content']>,
  page: Record<string, unknown>[],
  ids: readonly number[],
  column: string,
): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return page;
  const blobs = new Map<number, unknown>();
  const errors = new Map<number, string>();
  try {
    const [read] = await pool.query<RowDataPacket[]>(content.query, [ids]);
    for (const row of read) blobs.set(Number(row.id), row[column]);
  } catch (error) {
    if (connectionLossCode(error)) throw error;
    // One bad blob must not cost the others their read: find it row by row.
    for (const id of ids) {
      try {
        const [read] = await pool.query<RowDataPacket[]>(content.query, [[id]]);
        blobs.set(id, read[0]?.[column]);
      } catch (rowError) {
        if (connectionLossCode(rowError)) throw rowError;
        errors.set(id, `could not be read: ${(rowError as Error).message}`);
      }
    }
  }
  return page.map((row) => {
    const id = Number(row.id);
    if (errors.has(id)) return { ...row, [CONTENT_ERROR]: errors.get(id) };
    return blobs.has(id) ? { ...row, [column]: blobs.get(id) } : row;
  });
}
