import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { createLegacyPool } from '../../src/source/mysql/index.ts';
import { TABLE_COLUMNS } from '../../src/domain/index.ts';
import { type LegacyDbConfig, REGISTRY_DATABASE, type SubprojectTable } from '../../src/source/index.ts';
import { retryOnDeadlock } from './deadlock.ts';
import { REGISTRY_DATABASE_DDL, REGISTRY_TABLE_DDL, SUBPROJECT_TABLES_DDL } from './ddl.ts';
import type { GeneratedSubproject, SeedDocument } from './types.ts';

/** Rows written per table of one sub-project database. */
export type TableCounts = Record<SubprojectTable, number>;

/** How the writer batches; the defaults stay far below MariaDB's 16 MiB `max_allowed_packet`. */
export interface SeedWriterOptions {
  /** Rows per multi-row INSERT (default 2,000). */
  batchRows?: number;
  /** Approximate SQL bytes per INSERT (default 4 MiB). */
  batchBytes?: number;
  /** INSERTs running at once (default 3: the pool's size should be at least this). */
  concurrency?: number;
}

/** A row over this size is written on its own, on a connection opened after raising `max_allowed_packet`. */
const LARGE_ROW_BYTES = 8 * 1024 * 1024;
/** `max_allowed_packet` the oversized document needs: hex doubles its 25 MiB (docs/local-runtime.md, MariaDB). */
const LARGE_PACKET_BYTES = 64 * 1024 * 1024;

// Zero dates are refused under the default strict sql_mode; checks the seed does not need cost time.
const SESSION_SETUP = "SET SESSION sql_mode = '', unique_checks = 0, foreign_key_checks = 0";

/** Rough SQL size of one value, to cut batches by bytes before formatting them. */
function valueBytes(value: unknown): number {
  if (Buffer.isBuffer(value)) return value.length * 2 + 3;
  if (typeof value === 'string') return Buffer.byteLength(value) + 4;
  return 12;
}

/**
 * Writes generated sub-projects into MariaDB: (re)creates databases and tables,
 * loads rows with multi-row INSERTs on a few connections at once, and keeps the
 * registry in step. Only ever drops the databases of the customer it is given.
 */
export class SeedWriter {
  private readonly pool: Pool;
  private readonly config: LegacyDbConfig;
  private readonly batchRows: number;
  private readonly batchBytes: number;
  private readonly concurrency: number;

  public constructor(pool: Pool, config: LegacyDbConfig, options: SeedWriterOptions = {}) {
    this.pool = pool;
    this.config = config;
    this.batchRows = options.batchRows ?? 2000;
    this.batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
    this.concurrency = options.concurrency ?? 3;
  }

  /** Creates `fiberplan_registry` and its table when missing. */
  public async ensureRegistry(): Promise<void> {
    await this.pool.query(REGISTRY_DATABASE_DDL);
    await this.pool.query(REGISTRY_TABLE_DDL);
  }

  /**
   * Drops the customer's sub-project databases (those the registry lists for it,
   * plus `databases`, which the new seed is about to create) and its registry rows.
   * Other customers' databases and rows are never touched.
   */
  public async dropCustomer(customer: string, databases: readonly string[]): Promise<string[]> {
    const [rows] = await this.pool.query<(RowDataPacket & { database_name: string })[]>(
      `SELECT database_name FROM \`${REGISTRY_DATABASE}\`.subprojects WHERE customer = ?`,
      [customer],
    );
    const names = [...new Set([...rows.map((row) => row.database_name), ...databases])];
    for (const name of names) await this.pool.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(name)}`);
    await this.pool.query(`DELETE FROM \`${REGISTRY_DATABASE}\`.subprojects WHERE customer = ?`, [customer]);
    return names;
  }

  /** Creates one sub-project database with its tables and rows, then registers it. */
  public async writeSubproject(customer: string, sub: GeneratedSubproject): Promise<TableCounts> {
    const database = mysql.escapeId(sub.spec.database);
    await this.pool.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const connection = await this.pool.getConnection();
    try {
      await connection.query(`USE ${database}`);
      for (const ddl of SUBPROJECT_TABLES_DDL) await connection.query(ddl);
    } finally {
      connection.release();
    }
    const { tables } = sub;
    const large = tables.documents.filter((doc) => doc.content.length > LARGE_ROW_BYTES);
    const regular = tables.documents.filter((doc) => doc.content.length <= LARGE_ROW_BYTES);
    const sources: [SubprojectTable, readonly object[]][] = [
      ['settings', sub.settings],
      ['projects', tables.projects],
      ['contractors', tables.contractors],
      ['addresses', tables.addresses],
      ['assignments', tables.assignments],
      ['documents', regular],
      ['planboard_slots', tables.planboard_slots],
    ];
    await this.insertAll(sub.spec.database, sources);
    if (large.length > 0) await this.insertLarge(sub.spec.database, large);
    await this.pool.query(`INSERT INTO \`${REGISTRY_DATABASE}\`.subprojects (customer, database_name, label, active) VALUES (?, ?, ?, ?)`, [
      customer,
      sub.spec.database,
      sub.spec.label,
      sub.spec.active ? 1 : 0,
    ]);
    const counts = sources.map(([table, rows]) => [table, rows.length + (table === 'documents' ? large.length : 0)]);
    return Object.fromEntries(counts) as TableCounts;
  }

  /** Splits every table into INSERTs cut by rows and bytes and runs them on a few connections. */
  private async insertAll(database: string, sources: [SubprojectTable, readonly object[]][]): Promise<void> {
    const batches = sources.flatMap(([table, rows]) => this.batches(table, rows));
    let next = 0;
    const worker = async (): Promise<void> => {
      const connection = await this.pool.getConnection();
      try {
        await connection.query(SESSION_SETUP);
        while (next < batches.length) {
          const batch = batches[next++] as { table: SubprojectTable; rows: readonly object[] };
          await this.insert(connection, database, batch.table, batch.rows);
        }
      } finally {
        connection.release();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, worker));
  }

  private batches(table: SubprojectTable, rows: readonly object[]): { table: SubprojectTable; rows: readonly object[] }[] {
    const columns: readonly string[] = TABLE_COLUMNS[table];
    const batches: { table: SubprojectTable; rows: readonly object[] }[] = [];
    let start = 0;
    let bytes = 0;
    rows.forEach((row, index) => {
      const size = columns.reduce((sum, column) => sum + valueBytes((row as Record<string, unknown>)[column]), 0);
      if (index > start && (index - start >= this.batchRows || bytes + size > this.batchBytes)) {
        batches.push({ table, rows: rows.slice(start, index) });
        start = index;
        bytes = 0;
      }
      bytes += size;
    });
    if (start < rows.length) batches.push({ table, rows: rows.slice(start) });
    return batches;
  }

  private async insert(connection: PoolConnection, database: string, table: SubprojectTable, rows: readonly object[]): Promise<void> {
    const columns: readonly string[] = TABLE_COLUMNS[table];
    const values = rows.map((row) => columns.map((column) => (row as Record<string, unknown>)[column]));
    const target = `${mysql.escapeId(database)}.${mysql.escapeId(table)}`;
    const sql = `INSERT INTO ${target} (${columns.map((c) => mysql.escapeId(c)).join(', ')}) VALUES ?`;
    await retryOnDeadlock(() => connection.query(sql, [values]));
  }

  /**
   * Writes documents too big for the default packet: raises the server's
   * `max_allowed_packet` (a global setting, read by new sessions only) and
   * inserts them on a connection opened afterwards.
   */
  private async insertLarge(database: string, documents: SeedDocument[]): Promise<void> {
    const [[current]] = await this.pool.query<(RowDataPacket & { size: number })[]>('SELECT @@GLOBAL.max_allowed_packet AS size');
    if (Number(current?.size) < LARGE_PACKET_BYTES) await this.pool.query(`SET GLOBAL max_allowed_packet = ${LARGE_PACKET_BYTES}`);
    const pool = createLegacyPool(this.config, { connectionLimit: 1 });
    try {
      const connection = await pool.getConnection();
      try {
        await connection.query(SESSION_SETUP);
        for (const document of documents) await this.insert(connection, database, 'documents', [document]);
      } finally {
        connection.release();
      }
    } finally {
      await pool.end();
    }
  }
}
