/** A sub-project database that answers the engine's keyset page query (`[afterId, lastId, limit]`) from rows in memory, and its bounds query. */
import type { FieldPacket, RowDataPacket } from 'mysql2/promise';
import type { SourceQueries } from '../../src/pipeline/types.ts';

export class FakeMysqlPool implements SourceQueries {
  /** The values of every page query, in order. */
  public readonly pages: unknown[][] = [];
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
    this.pages.push(values);
    const [afterId, lastId, limit] = values.map(Number) as [number, number, number];
    const page = this.rows.filter((row) => Number(row.id) > afterId && Number(row.id) <= lastId).slice(0, limit);
    return [page.map((row) => ({ ...row })) as unknown as T, []];
  }
}
