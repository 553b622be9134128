import { expect } from 'chai';
import mysql from 'mysql2/promise';
import type { FieldPacket, Pool, RowDataPacket } from 'mysql2/promise';
import { mapDocument } from '../../../src/domain/collections/documents.ts';
import { definitionOf } from '../../../src/domain/collections/index.ts';
import { MAX_DOCUMENT_BYTES } from '../../../src/domain/constants.ts';
import type { DocumentRow } from '../../../src/domain/legacy-rows.ts';
import { SOURCE_PAGE_BYTES } from '../../../src/pipeline/constants.ts';
import { readSourcePage } from '../../../src/pipeline/source-page.ts';
import type { SourceQueries } from '../../../src/pipeline/types.ts';
import { assertReachable, createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { SUBPROJECT_TABLES_DDL } from '../../../tooling/seed/ddl.ts';
import { aMappingContext } from '../../helpers/mapping-context.ts';

const config = parseLegacyDbUrl(process.env.LEGACY_DB_URL || undefined);
/** A database of its own (E2E_CUSTOMER keeps two checkouts apart on one server). */
const DATABASE = `fp_${process.env.E2E_CUSTOMER || 'it'}_document_pages`;
const MIB = 1024 * 1024;
/** Big enough for the 25 MiB + 1 blob built on the server (the seed raises it the same way, docs/legacy-data.md). */
const PACKET_BYTES = 64 * MIB;

/** The pool, counting the blob bytes each query answered. */
class CountingPool implements SourceQueries {
  public readonly answered: number[] = [];
  public constructor(private readonly pool: Pool) {}
  public async query<T extends RowDataPacket[]>(sql: string, values?: unknown[]): Promise<[T, FieldPacket[]]> {
    const result = await this.pool.query<T>(sql, values);
    this.answered.push(result[0].reduce((sum, row) => sum + (Buffer.isBuffer(row.content) ? row.content.length : 0), 0));
    return result;
  }
}

describe("document pages against MariaDB: read by a byte budget and real lengths, blobs near and over the target's limit", function () {
  this.timeout(120_000);
  let pool: Pool;

  /** A document of `bytes` bytes built on the server (no 25 MiB statement), its size_bytes `claimed` (default: the truth). */
  async function plant(id: number, bytes: number, claimed = bytes): Promise<void> {
    await pool.query(
      `INSERT INTO ${mysql.escapeId(DATABASE)}.documents (id, assignment_id, file_name, mime_type, size_bytes, sha256, content, created_at)
       SELECT ?, 1, ?, 'application/pdf', ?, '', REPEAT('d', ?), '2024-05-01 09:30:00'`,
      [id, `scan-${id}.pdf`, claimed, bytes],
    );
    await pool.query(`UPDATE ${mysql.escapeId(DATABASE)}.documents SET sha256 = SHA2(content, 256) WHERE id = ?`, [id]);
  }

  before(async () => {
    const admin = createLegacyPool(config, { connectionLimit: 1 });
    await assertReachable(admin, config);
    const [[packet]] = await admin.query<(RowDataPacket & { size: number })[]>('SELECT @@GLOBAL.max_allowed_packet AS size');
    if (Number(packet?.size) < PACKET_BYTES) await admin.query(`SET GLOBAL max_allowed_packet = ${PACKET_BYTES}`);
    await admin.end();
    // A new pool: sessions read max_allowed_packet when they connect.
    pool = createLegacyPool(config, { connectionLimit: 2 });
    await pool.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(DATABASE)}`);
    await pool.query(`CREATE DATABASE ${mysql.escapeId(DATABASE)}`);
    const connection = await pool.getConnection();
    try {
      await connection.query(`USE ${mysql.escapeId(DATABASE)}`);
      for (const ddl of SUBPROJECT_TABLES_DDL) await connection.query(ddl);
    } finally {
      connection.release();
    }
    await pool.query(
      `INSERT INTO ${mysql.escapeId(DATABASE)}.assignments (id, address_id, contractor_id, type, status, updated_at) VALUES (1, 1, NULL, 'survey', 'open', '2024-05-01 09:00:00')`,
    );
    await plant(1, 10 * MIB);
    await plant(2, MAX_DOCUMENT_BYTES);
    await plant(3, MAX_DOCUMENT_BYTES + 1, 1000);
    await plant(4, 1000);
  });
  after(async () => {
    await pool?.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(DATABASE)}`);
    await pool?.end();
  });

  it('reads every document once over pages that each stay within the byte budget: the one at the limit whole, the one over it never', async () => {
    const subproject = createLegacyPool(config, { database: DATABASE, connectionLimit: 2 });
    const counting = new CountingPool(subproject);
    const rows: Record<string, unknown>[] = [];
    try {
      let afterId = 0;
      for (let more = true; more; ) {
        const page = await readSourcePage(counting, definitionOf('documents'), { afterId, lastId: 1000, rowLimit: 500 });
        rows.push(...page.rows);
        more = page.more;
        afterId = Number(page.rows[page.rows.length - 1]!.id);
      }
    } finally {
      await subproject.end();
    }
    expect(rows.map((row) => row.id)).to.deep.equal([1, 2, 3, 4]);
    expect(Math.max(...counting.answered)).to.be.at.most(SOURCE_PAGE_BYTES);
    expect(
      counting.answered.reduce((sum, bytes) => sum + bytes, 0),
      'bytes read in all',
    ).to.equal(10 * MIB + MAX_DOCUMENT_BYTES + 1000);
    expect((rows[1]!.content as Buffer).length).to.equal(MAX_DOCUMENT_BYTES);
    expect(rows[2]).to.include({ content: null, content_length: MAX_DOCUMENT_BYTES + 1 });

    const outcomes = rows.map((row) => mapDocument(row as unknown as DocumentRow, aMappingContext()));
    expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.failure.code))).to.deep.equal(['ok', 'ok', 'too_large', 'ok']);
  });
});
