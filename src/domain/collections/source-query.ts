import type { LegacyTable } from '../index.ts';
import type { ParentReference } from '../mapping/index.ts';

/**
 * SQL for one keyset page of `table`: the given columns (bare names are taken
 * from the table, anything else is a select expression) plus, per parent, a
 * `<column>_exists` flag from a LEFT JOIN, so an orphan is told apart from a
 * parent that failed. Parameters: `[afterId, lastId, limit]`.
 */
export function sourceQueryOf(table: LegacyTable, columns: readonly string[], parents: readonly ParentReference[]): string {
  const select = columns.map((column) => (/^\w+$/.test(column) ? `t.${column}` : column));
  const joins: string[] = [];
  parents
    .filter((parent) => parent.column !== 'id')
    .forEach((parent, index) => {
      const alias = `p${index}`;
      select.push(`(${alias}.id IS NOT NULL) AS ${parent.column}_exists`);
      joins.push(`LEFT JOIN ${parent.table} ${alias} ON ${alias}.id = t.${parent.column}`);
    });
  return [`SELECT ${select.join(', ')}`, `FROM ${table} t`, ...joins, 'WHERE t.id > ? AND t.id <= ?', 'ORDER BY t.id', 'LIMIT ?'].join(' ');
}

/** SQL for the id bounds and row count of `table`. */
export function boundsQueryOf(table: LegacyTable): string {
  return `SELECT MIN(id) AS min_id, MAX(id) AS max_id, COUNT(*) AS row_count FROM ${table}`;
}
