import mysql from 'mysql2/promise';
import type { Pool, PoolOptions } from 'mysql2/promise';
import { InvalidInputError } from '../domain/errors.ts';
import { DEFAULT_LEGACY_DB_URL } from './constants.ts';
import { LegacyDbUnreachableError } from './errors.ts';
import type { LegacyDbConfig } from './types.ts';

/** Options of {@link createLegacyPool} beyond the connection settings. */
export interface LegacyPoolOptions {
  /** Most connections open at once (default 4). */
  connectionLimit?: number;
  /** Overrides the URL's default database. */
  database?: string;
}

/**
 * Parses `LEGACY_DB_URL` (`mysql://user[:password]@host[:port][/database]`).
 * User and password may be percent-encoded. Throws {@link InvalidInputError} on anything else.
 */
export function parseLegacyDbUrl(url: string = DEFAULT_LEGACY_DB_URL): LegacyDbConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError('LEGACY_DB_URL is not a URL (expected mysql://user[:password]@host[:port][/database])', {
      input: 'LEGACY_DB_URL',
      issue: 'not a URL',
    });
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new InvalidInputError(`LEGACY_DB_URL must start with mysql:// (got ${parsed.protocol}//)`, {
      input: 'LEGACY_DB_URL',
      issue: 'protocol',
    });
  }
  if (!parsed.hostname) {
    throw new InvalidInputError('LEGACY_DB_URL names no host', { input: 'LEGACY_DB_URL', issue: 'host' });
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    // URL keeps the brackets of an IPv6 host; the socket wants them gone.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
    ...(database ? { database } : {}),
  };
}

/**
 * mysql2 options for the legacy database. Dates come back as strings: mysql2 would
 * otherwise turn `0000-00-00` into 1899-11-30 and read DATETIMEs in the process's
 * time zone rather than the customer's (docs/local-runtime.md, MariaDB).
 */
export function legacyPoolOptions(config: LegacyDbConfig, options: LegacyPoolOptions = {}): PoolOptions {
  const database = options.database ?? config.database;
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    ...(database ? { database } : {}),
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    connectionLimit: options.connectionLimit ?? 4,
    waitForConnections: true,
  };
}

/** A connection pool on the legacy database. Connects lazily: call {@link assertReachable} to fail early. */
export function createLegacyPool(config: LegacyDbConfig, options: LegacyPoolOptions = {}): Pool {
  return mysql.createPool(legacyPoolOptions(config, options));
}

/** Where a config points, for messages: never includes the password. */
export function describeLegacyDb(config: LegacyDbConfig): string {
  return `${config.user}@${config.host}:${config.port}`;
}

/**
 * Opens one connection and pings it, so that a wrong address or login fails with
 * one clear line rather than on the first query.
 */
export async function assertReachable(pool: Pool, config: LegacyDbConfig): Promise<void> {
  try {
    const connection = await pool.getConnection();
    try {
      await connection.ping();
    } finally {
      connection.release();
    }
  } catch (error) {
    const cause = error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code || error.name : String(error);
    const address = describeLegacyDb(config);
    throw new LegacyDbUnreachableError(`legacy database unreachable at ${address}: ${cause}`, { address, cause }, { cause: error });
  }
}
