/**
 * A sub-project database that answers the engine's keyset page query (`[afterId, lastId, limit]`) from rows in memory,
 * its bounds query, and for documents what MySQL answers the page reader: a page query that selects `LENGTH(t.content)`
 * gets each row's real length and no bytes, and the content query (`WHERE id IN (?)`) the bytes of the ids it names.
 */
import type { FieldPacket, RowDataPacket } from 'mysql2/promise';
import type { SourceQueries } from '../../src/pipeline/types.ts';

export class FakeMysqlPool implements SourceQueries {
  /** The values of every page query, in order. */
  public readonly pages: unknown[][] = [];
  /** The ids of every content query, in order, and the bytes each answered. */
  public readonly contentReads: { ids: number[]; bytes: number }[] = [];
  /** Ids whose content read fails as a server error would (not a lost connection). */
  public readonly unreadable = new Set<number>();
  private readonly rows: Record<string, unknown>[];

  public constructor(rows: readonly Record<string, unknown>[]) {
    this.rows = [...rows].sort((a, b) => Number(a.id) - Number(b.id));
  }

  public async query<T extends RowDataPacket[]>(sql: string, values: unknown[] = []): Promise<[T, FieldPacket[]]> {
    if (/MIN\(id\)/.test(sql)) {
      const ids = this.rows.map((row) => Number(row.id));
      const bounds = { min_id: ids.length ? Math.min(...ids) : null, max_id: ids.length ? Math.max(...ids) : null, row_count: ids.length };
      return [[bounds] as unknown as T, []];
    }
    if (/WHERE id IN \(\?\)/.test(sql)) return [this.contents(values[0] as number[]) as unknown as T, []];
    this.pages.push(values);
    const [afterId, lastId, limit] = values.map(Number) as [number, number, number];
    const page = this.rows.filter((row) => Number(row.id) > afterId && Number(row.id) <= lastId).slice(0, limit);
    if (/LENGTH\(t\.content\) AS content_length/.test(sql)) {
      return [page.map((row) => ({ ...row, content: null, content_length: (row.content as Buffer).length })) as unknown as T, []];
    }
    return [page.map((row) => ({ ...row })) as unknown as T, []];
  }

  private contents(ids: readonly number[]): { id: number; content: Buffer }[] {
    const bad = ids.find((id) => this.unreadable.has(id));
    if (bad !== undefined) throw Object.assign(new Error(`Got error 1 "Operation not permitted" reading document ${bad}`), { code: 'ER_GET_ERRNO' });
    const rows = this.rows.filter((row) => ids.includes(Number(row.id))).map((row) => ({ id: Number(row.id), content: row.content as Buffer }));
    this.contentReads.push({ ids: [...ids], bytes: rows.reduce((sum, row) => sum + row.content.length, 0) });
    return rows;
  }
}
