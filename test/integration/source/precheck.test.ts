import { expect } from 'chai';
import mysql from 'mysql2/promise';
import type { Pool } from 'mysql2/promise';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { assertReachable, createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { REGISTRY_DATABASE } from '../../../src/source/constants.ts';
import { LegacyPrecheck } from '../../../src/source/precheck.ts';
import { LegacyRegistry } from '../../../src/source/mysql/registry.ts';
import { REGISTRY_DATABASE_DDL, REGISTRY_TABLE_DDL, SUBPROJECT_TABLES_DDL } from '../../../tooling/seed/ddl.ts';

const config = parseLegacyDbUrl(process.env.LEGACY_DB_URL || undefined);
/** A customer of its own (E2E_CUSTOMER keeps two checkouts apart on one server). */
const customer = `${process.env.E2E_CUSTOMER || 'it'}_precheck`;
const READABLE = `fp_${customer}_readable`;
const HALF = `fp_${customer}_half`;
const GONE = `fp_${customer}_gone`;
const BAD_NAME = `fp-${customer}-dash`;

describe('the legacy pre-check against MariaDB: every active registry row is checked before anything changes', function () {
  this.timeout(60_000);
  let pool: Pool;

  before(async () => {
    pool = createLegacyPool(config, { connectionLimit: 2 });
    await assertReachable(pool, config);
    await pool.query(REGISTRY_DATABASE_DDL);
    await pool.query(REGISTRY_TABLE_DDL);
    await cleanUp();
    for (const database of [READABLE, HALF]) {
      await pool.query(`CREATE DATABASE ${mysql.escapeId(database)}`);
      const connection = await pool.getConnection();
      try {
        await connection.query(`USE ${mysql.escapeId(database)}`);
        for (const ddl of SUBPROJECT_TABLES_DDL) await connection.query(ddl);
      } finally {
        connection.release();
      }
    }
    await pool.query(`DROP TABLE ${mysql.escapeId(HALF)}.documents`);
  });
  after(async () => {
    await cleanUp();
    await pool.end();
  });

  async function cleanUp(): Promise<void> {
    await pool.query(`DELETE FROM \`${REGISTRY_DATABASE}\`.subprojects WHERE customer = ?`, [customer]);
    for (const database of [READABLE, HALF]) await pool.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(database)}`);
  }

  async function register(databases: readonly string[], active = 1): Promise<void> {
    await pool.query(`DELETE FROM \`${REGISTRY_DATABASE}\`.subprojects WHERE customer = ?`, [customer]);
    for (const database of databases) {
      await pool.query(`INSERT INTO \`${REGISTRY_DATABASE}\`.subprojects (customer, database_name, label, active) VALUES (?, ?, NULL, ?)`, [
        customer,
        database,
        active,
      ]);
    }
  }

  it('says of each database whether it is missing, has tables that cannot be read, or answers', async () => {
    const registry = new LegacyRegistry(pool);
    expect(await registry.problemOf(READABLE)).to.equal(undefined);
    expect(await registry.problemOf(GONE)).to.deep.equal({ kind: 'missing' });
    expect(await registry.problemOf(HALF)).to.deep.equal({ kind: 'unreadable', tables: [{ table: 'documents', code: 'ER_NO_SUCH_TABLE' }] });
  });

  it('passes a customer whose every active sub-project is readable', async () => {
    await register([READABLE]);
    expect(await new LegacyPrecheck(new LegacyRegistry(pool)).check(customer)).to.deep.equal({ customer, subprojects: [READABLE] });
  });

  it('refuses with one line a customer whose registry names a bad name, a missing database and a half one', async () => {
    await register([READABLE, BAD_NAME, GONE, HALF]);
    const error = await new LegacyPrecheck(new LegacyRegistry(pool)).check(customer).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error!.message).to.not.include('\n');
    expect(error!.message).to.include(`"${BAD_NAME}" is not a sub-project database name`);
    expect(error!.message).to.include(`database ${GONE} does not exist`);
    expect(error!.message).to.include(`database ${HALF} has tables that cannot be read: documents (ER_NO_SUCH_TABLE)`);
    expect(error!.message).to.not.include(READABLE);
  });

  it('leaves inactive rows alone: they are never read', async () => {
    await register([READABLE]);
    await pool.query(`INSERT INTO \`${REGISTRY_DATABASE}\`.subprojects (customer, database_name, label, active) VALUES (?, ?, NULL, 0)`, [customer, GONE]);
    expect((await new LegacyPrecheck(new LegacyRegistry(pool)).check(customer)).subprojects).to.deep.equal([READABLE]);
  });
});
