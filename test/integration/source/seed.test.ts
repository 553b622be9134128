import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { expect } from 'chai';
import mysql from 'mysql2/promise';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { assertReachable, createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { LegacyDbUnreachableError, UnknownSubprojectError } from '../../../src/source/errors.ts';
import { LegacyRegistry } from '../../../src/source/mysql/registry.ts';
import { generateCustomer } from '../../../tooling/seed/generator.ts';
import { seedCustomer } from '../../../tooling/seed/seed-customer.ts';
import type { SeedResult } from '../../../tooling/seed/seed-customer.ts';
import type { SeedOptions } from '../../../tooling/seed/types.ts';
import { SeedWriter } from '../../../tooling/seed/writer.ts';

const run = promisify(execFile);
const config = parseLegacyDbUrl(process.env.LEGACY_DB_URL || undefined);
const A: SeedOptions = { customer: 'seedtest_a', seed: 11, scale: 0.2, dirt: 0.05 };
const B: SeedOptions = { customer: 'seedtest_b', seed: 12, scale: 0.1, dirt: 0 };
const SCRIPT_CUSTOMER = 'seedtest_script';

async function tableCounts(pool: Pool, database: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['settings', 'projects', 'contractors', 'addresses', 'assignments', 'documents', 'planboard_slots']) {
    const [[row]] = await pool.query<(RowDataPacket & { n: number })[]>(`SELECT COUNT(*) AS n FROM ${mysql.escapeId(database)}.${table}`);
    counts[table] = Number(row?.n);
  }
  return counts;
}

describe('legacy FiberPlan seed against MariaDB', function () {
  this.timeout(60_000);
  let pool: Pool;
  let seededA: SeedResult;
  let seededB: SeedResult;

  before(async () => {
    pool = createLegacyPool(config, { connectionLimit: 4 });
    await assertReachable(pool, config);
    seededA = await seedCustomer(pool, config, A);
    seededB = await seedCustomer(pool, config, B);
  });

  after(async () => {
    const writer = new SeedWriter(pool, config);
    for (const customer of [A.customer, B.customer, SCRIPT_CUSTOMER]) await writer.dropCustomer(customer, []);
    await pool.end();
  });

  it('registers the three sub-projects of a customer, the archive inactive', async () => {
    const registry = new LegacyRegistry(pool);
    const all = await registry.listSubprojects(A.customer, { includeInactive: true });
    expect(all.map(({ customer, database, label, active }) => ({ customer, database, label, active }))).to.deep.equal([
      { customer: 'seedtest_a', database: 'fp_seedtest_a_north', label: 'north', active: true },
      { customer: 'seedtest_a', database: 'fp_seedtest_a_south', label: 'south', active: true },
      { customer: 'seedtest_a', database: 'fp_seedtest_a_archive', label: 'archive', active: false },
    ]);
    expect((await registry.listSubprojects(A.customer)).map((s) => s.database)).to.deep.equal(['fp_seedtest_a_north', 'fp_seedtest_a_south']);
    expect(await registry.listCustomers()).to.include.members(['seedtest_a', 'seedtest_b']);
  });

  it('stores exactly the generated rows in every table', async () => {
    for (const sub of generateCustomer(A)) {
      const stored = await tableCounts(pool, sub.spec.database);
      const generated = Object.fromEntries(Object.entries(sub.tables).map(([table, rows]) => [table, rows.length]));
      expect(stored).to.deep.equal({ settings: sub.settings.length, ...generated });
      expect(seededA.counts[sub.spec.database]).to.deep.equal(stored);
    }
  });

  it('reads the status_map settings of a sub-project, and refuses an unregistered database', async () => {
    const registry = new LegacyRegistry(pool);
    expect(await registry.readSettings('fp_seedtest_a_north')).to.deep.equal([
      { name: 'status_map.assignments', value: '{"ingepland":"PLANNED"}' },
      { name: 'status_map.projects', value: '{"on hold":"PLANNED"}' },
    ]);
    try {
      await registry.readSettings('mysql');
      expect.fail('readSettings accepted an unregistered database');
    } catch (error) {
      expect(error).to.be.instanceOf(UnknownSubprojectError);
    }
  });

  it('stores zero dates as 0000-00-00', async () => {
    const planted = seededA.manifest.planted.filter((p) => p.defect === 'zero-date' && p.collection === 'projects');
    const id = Number(planted[0]?.externalRef.split(':')[2]);
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT start_date FROM fp_seedtest_a_north.projects WHERE id = ?', [id]);
    expect(row?.start_date).to.equal('0000-00-00');
  });

  it('stores the document over 25 MiB with its size', async () => {
    const [rows] = await pool.query<RowDataPacket[]>(
      'SELECT size_bytes, LENGTH(content) AS length FROM fp_seedtest_a_north.documents WHERE size_bytes > 26214400',
    );
    expect(rows.map((row) => ({ size: Number(row.size_bytes), length: Number(row.length) }))).to.deep.equal([{ size: 26_214_401, length: 26_214_401 }]);
  });

  it('stores Unicode text with emoji and right-to-left scripts byte-exact', async () => {
    const planted = seededA.manifest.planted.find((p) => p.defect === 'unicode-text' && p.collection === 'work-orders');
    const id = Number(planted?.externalRef.split(':')[2]);
    const generated = generateCustomer(A)[0]?.tables.assignments.find((row) => row.id === id);
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT remarks FROM fp_seedtest_a_north.assignments WHERE id = ?', [id]);
    expect(row?.remarks).to.equal(generated?.remarks);
    expect(row?.remarks)
      .to.match(/🏠/u)
      .and.match(/[\u0600-\u06FF]/u);
  });

  it('re-seeding a customer replaces its databases and leaves another customer intact', async () => {
    const before = await tableCounts(pool, 'fp_seedtest_b_north');
    const reseeded = await seedCustomer(pool, config, { ...A, seed: 99, dirt: 0 });
    expect(reseeded.dropped).to.have.members(['fp_seedtest_a_north', 'fp_seedtest_a_south', 'fp_seedtest_a_archive']);
    expect(await tableCounts(pool, 'fp_seedtest_a_north')).to.deep.equal(reseeded.counts.fp_seedtest_a_north);
    expect(reseeded.counts.fp_seedtest_a_north?.projects).to.not.equal(seededA.counts.fp_seedtest_a_north?.projects);
    expect(await tableCounts(pool, 'fp_seedtest_b_north')).to.deep.equal(before);
    expect(before).to.deep.equal(seededB.counts.fp_seedtest_b_north);
    expect(await new LegacyRegistry(pool).listSubprojects(A.customer, { includeInactive: true })).to.have.length(3);
    expect(await new LegacyRegistry(pool).listSubprojects(B.customer, { includeInactive: true })).to.have.length(3);
  });

  it('fails with one clear line when the database is unreachable', async () => {
    const wrong = { ...config, port: 1 };
    const unreachable = createLegacyPool(wrong, { connectionLimit: 1 });
    try {
      await assertReachable(unreachable, wrong);
      expect.fail('assertReachable passed on port 1');
    } catch (error) {
      expect(error).to.be.instanceOf(LegacyDbUnreachableError);
      expect((error as Error).message)
        .to.match(/^legacy database unreachable at root@127\.0\.0\.1:1: /)
        .and.not.include('\n');
    } finally {
      await unreachable.end();
    }
  });

  it('scripts/seed.ts seeds from the environment and writes the manifest; a bad value exits non-zero with one line', async () => {
    const env = { ...process.env, CUSTOMER: SCRIPT_CUSTOMER, SEED: '5', SCALE: '0.05', DIRT: '0' };
    const { stdout } = await run('tsx', ['scripts/seed.ts'], { env });
    expect(stdout)
      .to.match(/fp_seedtest_script_north: settings=2 projects=1 /)
      .and.match(/seeded \d+ rows .* in [\d.]+ s/);
    const manifest = JSON.parse(await readFile(`.local/seed/${SCRIPT_CUSTOMER}/manifest.json`, 'utf8'));
    expect(manifest).to.include({ customer: SCRIPT_CUSTOMER, seed: 5, scale: 0.05, dirt: 0 });

    const failed = await run('tsx', ['scripts/seed.ts'], { env: { ...env, SCALE: 'lots' } }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).to.equal(1);
    expect(failed?.stderr.trim()).to.equal('seed: SCALE must be a number (got "lots")');
  });
});
