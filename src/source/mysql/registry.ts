import mysql from 'mysql2/promise';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { type LegacyTable, SUBPROJECT_TABLES } from '../../domain/index.ts';
import {
  connectionLossCode,
  type ListSubprojectsOptions,
  type PrecheckRegistry,
  REGISTRY_DATABASE,
  type SettingRow,
  type Subproject,
  type SubprojectProblem,
  UnknownSubprojectError,
} from '../index.ts';

interface SubprojectRecord extends RowDataPacket {
  id: number;
  customer: string;
  database_name: string;
  label: string | null;
  active: number;
}

interface SettingRecord extends RowDataPacket {
  name: string;
  value: string;
}

/**
 * Reads `fiberplan_registry` (docs/legacy-schema.md, the registry) and the per-sub-project `settings`
 * table. Holds no state besides the pool, so one instance can serve a warm Lambda.
 *
 * @example
 * const registry = new LegacyRegistry(createLegacyPool(parseLegacyDbUrl('mysql://root@127.0.0.1:3306')));
 * const subprojects = await registry.listSubprojects('acme'); // the active ones, by id
 * const settings = await registry.readSettings(subprojects[0]!.database); // [{ name, value }]
 */
export class LegacyRegistry implements PrecheckRegistry {
  private readonly pool: Pool;

  public constructor(pool: Pool) {
    this.pool = pool;
  }

  /** Every customer with at least one registered sub-project, sorted. */
  public async listCustomers(): Promise<string[]> {
    const [rows] = await this.pool.query<(RowDataPacket & { customer: string })[]>(
      `SELECT DISTINCT customer FROM \`${REGISTRY_DATABASE}\`.subprojects ORDER BY customer`,
    );
    return rows.map((row) => row.customer);
  }

  /** The customer's sub-projects ordered by id; only the active ones unless asked otherwise. */
  public async listSubprojects(customer: string, options: ListSubprojectsOptions = {}): Promise<Subproject[]> {
    const [rows] = await this.pool.query<SubprojectRecord[]>(
      `SELECT id, customer, database_name, label, active FROM \`${REGISTRY_DATABASE}\`.subprojects
        WHERE customer = ? ${options.includeInactive ? '' : 'AND active <> 0'} ORDER BY id`,
      [customer],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      customer: row.customer,
      database: row.database_name,
      label: row.label,
      active: Number(row.active) !== 0,
    }));
  }

  /**
   * What keeps a sub-project database from being read: it does not exist, or
   * some of its tables cannot be read (missing, no privilege); undefined when
   * every table answers. Tables are probed with `LIMIT 0` (no row read). A
   * lost connection is thrown, not reported as a problem of the sub-project.
   * Call with a name that matches the sub-project name pattern only.
   */
  public async problemOf(database: string): Promise<SubprojectProblem | undefined> {
    const [schemas] = await this.pool.query<RowDataPacket[]>('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
    if (schemas.length === 0) return { kind: 'missing' };
    const unreadable: { table: string; code: string }[] = [];
    for (const table of SUBPROJECT_TABLES) {
      try {
        await this.pool.query(`SELECT 1 FROM ${mysql.escapeId(database)}.${mysql.escapeId(table)} LIMIT 0`);
      } catch (error) {
        if (connectionLossCode(error)) throw error;
        unreadable.push({ table, code: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
      }
    }
    return unreadable.length > 0 ? { kind: 'unreadable', tables: unreadable } : undefined;
  }

  /**
   * The `settings` rows of one registered sub-project database, ordered by name.
   * Throws {@link UnknownSubprojectError} for a database the registry does not list,
   * so a caller can never be steered into an arbitrary database.
   */
  public async readSettings(database: string): Promise<SettingRow[]> {
    const [known] = await this.pool.query<RowDataPacket[]>(`SELECT 1 FROM \`${REGISTRY_DATABASE}\`.subprojects WHERE database_name = ?`, [database]);
    if (known.length === 0) {
      throw new UnknownSubprojectError(`${database} is not a registered sub-project database`, { database });
    }
    const [rows] = await this.pool.query<SettingRecord[]>(`SELECT name, value FROM ${mysql.escapeId(database)}.settings ORDER BY name`);
    return rows.map((row) => ({ name: row.name, value: row.value }));
  }

  /**
   * `COUNT(*)` of one table of a registered sub-project database: its size
   * without reading a row (one query, the registry check included).
   * Throws {@link UnknownSubprojectError} for a database the registry does not list.
   */
  public async countRows(database: string, table: LegacyTable): Promise<number> {
    const [rows] = await this.pool.query<(RowDataPacket & { known: number; row_count: number | string })[]>(
      `SELECT (SELECT COUNT(*) FROM \`${REGISTRY_DATABASE}\`.subprojects WHERE database_name = ?) AS known,
              (SELECT COUNT(*) FROM ${mysql.escapeId(database)}.${mysql.escapeId(table)}) AS row_count`,
      [database],
    );
    if (Number(rows[0]?.known ?? 0) === 0) {
      throw new UnknownSubprojectError(`${database} is not a registered sub-project database`, { database });
    }
    return Number(rows[0]!.row_count);
  }
}
