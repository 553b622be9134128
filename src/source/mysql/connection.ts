import mysql from 'mysql2/promise';
import type { Pool, PoolOptions } from 'mysql2/promise';
import { InvalidInputError } from '../../domain/index.ts';
import { connectionLossCode, DEFAULT_LEGACY_DB_URL, type LegacyDbConfig, LegacyDbUnreachableError } from '../index.ts';

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
 *
 * @example
 * const config = parseLegacyDbUrl('mysql://migrator:s%40cret@db.internal:3306'); // { host: 'db.internal', port: 3306, user: 'migrator', password: 's@cret' }
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
  const database = decoded(parsed.pathname.replace(/^\//, ''), 'database');
  return {
    // URL keeps the brackets of an IPv6 host; the socket wants them gone.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decoded(parsed.username, 'user') || 'root',
    password: decoded(parsed.password, 'password'),
    ...(database ? { database } : {}),
  };
}

/** A percent-encoded part of LEGACY_DB_URL, decoded; a `%` not followed by two hex digits is one line naming the part (never its value: it may be the password). */
function decoded(text: string, part: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvalidInputError(`LEGACY_DB_URL: its ${part} holds a % that is not followed by two hex digits (write a % itself as %25)`, {
      input: 'LEGACY_DB_URL',
      issue: `${part} encoding`,
    });
  }
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

/** Statements that only read: sending one again after its connection died changes nothing. */
const READ_STATEMENT = /^\s*(SELECT|SHOW|DESCRIBE|DESC|EXPLAIN|WITH)\b/i;

function isRead(statement: unknown): boolean {
  const sql = typeof statement === 'string' ? statement : (statement as { sql?: unknown } | undefined)?.sql;
  return typeof sql === 'string' && READ_STATEMENT.test(sql);
}

/**
 * Makes the pool's `query` and `execute` send a read once more when the
 * connection died under it. mysql2 drops a pooled connection once it sees
 * its socket close, but a connection the server or a NAT closed while idle
 * (a frozen Lambda, a network blip) can still be handed out before that is
 * noticed: the first page read after the blip would fail although the
 * database is back. The second try gets a fresh connection (the broken one
 * has left the pool by then). Writes are never sent twice. Hand-written: no
 * retry library is a dependency of the engine, and the rule is this narrow.
 */
function retryReadsOnce(pool: Pool): Pool {
  for (const method of ['query', 'execute'] as const) {
    const send = pool[method].bind(pool) as (...args: unknown[]) => Promise<unknown>;
    const retrying = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await send(...args);
      } catch (error) {
        if (!isRead(args[0]) || !connectionLossCode(error)) throw error;
        return send(...args);
      }
    };
    Object.defineProperty(pool, method, { value: retrying, configurable: true, writable: true });
  }
  return pool;
}

/**
 * A connection pool on the legacy database. Connects lazily: call
 * {@link assertReachable} to fail early. A read whose connection was lost is
 * sent once more on a fresh connection (see retryReadsOnce).
 *
 * @example
 * const config = parseLegacyDbUrl(process.env.LEGACY_DB_URL);
 * const registryPool = createLegacyPool(config);
 * await assertReachable(registryPool, config); // one clear line for a wrong address or login
 * const pool = createLegacyPool(config, { database: 'fp_acme_north', connectionLimit: 2 });
 */
export function createLegacyPool(config: LegacyDbConfig, options: LegacyPoolOptions = {}): Pool {
  return retryReadsOnce(mysql.createPool(legacyPoolOptions(config, options)));
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
