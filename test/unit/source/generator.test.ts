import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { DEFECT_CLASSES, OVERSIZED_DOCUMENT_BYTES } from '../../../tooling/seed/constants.ts';
import { generateCustomer } from '../../../tooling/seed/generator.ts';
import { localToInstant } from '../../../tooling/seed/local-time.ts';
import { sha256Hex } from '../../../tooling/seed/sha256.ts';
import type { GeneratedSubproject, SeedOptions } from '../../../tooling/seed/types.ts';

const OPTIONS: SeedOptions = { customer: 'unit', seed: 7, scale: 0.4, dirt: 0.05 };

/** A digest of every row of every table, Buffers included. */
function fingerprint(subprojects: GeneratedSubproject[]): string {
  const hash = createHash('sha256');
  for (const sub of subprojects) {
    hash.update(JSON.stringify(sub.settings));
    for (const [table, rows] of Object.entries(sub.tables)) {
      hash.update(table);
      for (const row of rows as object[])
        hash.update(JSON.stringify(row, (_key, value) => (value?.type === 'Buffer' ? sha256Hex(Buffer.from(value.data)) : value)));
    }
  }
  return hash.digest('hex');
}

const rowCount = (subprojects: GeneratedSubproject[]): number =>
  subprojects.reduce((sum, sub) => sum + Object.values(sub.tables).reduce((n, rows) => n + rows.length, 0), 0);

describe('seed generator', () => {
  const dirty = generateCustomer(OPTIONS);
  const clean = generateCustomer({ ...OPTIONS, dirt: 0 });

  it('generates the same rows, byte for byte, for the same SEED', () => {
    expect(fingerprint(generateCustomer(OPTIONS))).to.equal(fingerprint(dirty));
  });

  it('generates different rows for a different SEED', () => {
    expect(fingerprint(generateCustomer({ ...OPTIONS, seed: 8 }))).to.not.equal(fingerprint(dirty));
  });

  it('makes fp_<customer>_north and _south active and _archive inactive, each with rows in every table', () => {
    expect(dirty.map((sub) => sub.spec)).to.deep.equal([
      { database: 'fp_unit_north', label: 'north', active: true },
      { database: 'fp_unit_south', label: 'south', active: true },
      { database: 'fp_unit_archive', label: 'archive', active: false },
    ]);
    for (const sub of dirty) for (const rows of Object.values(sub.tables)) expect(rows.length).to.be.greaterThan(0);
  });

  it('plants every defect class in the active sub-projects when DIRT > 0, none in the inactive one', () => {
    const planted = new Set(dirty.filter((sub) => sub.spec.active).flatMap((sub) => sub.planted.map((p) => p.defect)));
    expect([...planted].sort()).to.deep.equal([...DEFECT_CLASSES].sort());
    expect(dirty.find((sub) => !sub.spec.active)?.planted).to.have.length(0);
  });

  it('plants exactly one document over 25 MiB, of 26,214,401 bytes with a matching sha256', () => {
    const large = dirty.flatMap((sub) => sub.tables.documents).filter((doc) => doc.size_bytes > 25 * 1024 * 1024);
    expect(large).to.have.length(1);
    expect(large[0]?.content.length).to.equal(OVERSIZED_DOCUMENT_BYTES);
    expect(large[0]?.size_bytes).to.equal(OVERSIZED_DOCUMENT_BYTES);
    expect(sha256Hex(large[0]?.content ?? Buffer.alloc(0))).to.equal(large[0]?.sha256);
  });

  it('plants nothing and generates no defect when DIRT = 0', () => {
    for (const sub of clean) {
      expect(sub.planted).to.have.length(0);
      const { projects, contractors, addresses, assignments, documents, planboard_slots: slots } = sub.tables;
      const refs = (rows: { id: number }[]): Set<number> => new Set(rows.map((row) => row.id));
      const [projectIds, addressIds, assignmentIds, contractorIds] = [refs(projects), refs(addresses), refs(assignments), refs(contractors)];
      for (const row of projects) {
        expect(['planned', 'active', 'cancelled']).to.include(row.status);
        expect(row.start_date).to.not.equal('0000-00-00');
      }
      for (const row of contractors) {
        if (row.kvk_number !== null) expect(row.kvk_number).to.match(/^[0-9]{8}$/);
        if (row.email !== null) expect(row.email).to.match(/^[a-z]+@[a-z]+\.nl$/);
      }
      for (const row of addresses) {
        expect(projectIds.has(row.project_id)).to.equal(true);
        expect(row.postcode).to.match(/^[1-9][0-9]{3}[A-Z]{2}$/);
        expect(row.house_number).to.be.at.least(1);
        expect(['residential', 'business']).to.include(row.kind);
        expect(['new', 'surveyed', 'ready', 'connected', 'refused']).to.include(row.status);
      }
      for (const row of assignments) {
        expect(addressIds.has(row.address_id)).to.equal(true);
        if (row.contractor_id !== null) expect(contractorIds.has(row.contractor_id)).to.equal(true);
        expect(['survey', 'civil', 'splice', 'activation']).to.include(row.type);
        if (row.status === 'planned' || row.status === 'in_progress') expect(row.contractor_id).to.not.equal(null);
        if (row.status === 'done') expect(row.completed_at).to.not.equal(null);
        expect(row.planned_date).to.not.equal('0000-00-00');
      }
      for (const row of documents) {
        expect(assignmentIds.has(row.assignment_id)).to.equal(true);
        expect(row.content.length).to.be.within(300, 3000);
        expect(row.size_bytes).to.equal(row.content.length);
        expect(row.sha256).to.equal(sha256Hex(row.content));
      }
      for (const row of slots) {
        expect(assignmentIds.has(row.assignment_id)).to.equal(true);
        const start = localToInstant(row.starts_at, 'Europe/Amsterdam');
        const end = localToInstant(row.ends_at, 'Europe/Amsterdam');
        expect(start).to.be.a('number');
        expect(end).to.be.greaterThan(start as number);
      }
    }
  });

  it('hands out increasing ids with gaps in every table', () => {
    for (const sub of dirty) {
      for (const [table, rows] of Object.entries(sub.tables)) {
        const ids = (rows as { id: number }[]).map((row) => row.id);
        for (let i = 1; i < ids.length; i++) expect(ids[i], table).to.be.greaterThan(ids[i - 1] as number);
        expect((ids.at(-1) as number) - ids.length, `${table} has gaps`).to.be.greaterThan(0);
      }
    }
  });

  it('grows the row count linearly with SCALE: a few thousand rows at 1, four times as many at 4', () => {
    const one = generateCustomer({ ...OPTIONS, scale: 1, dirt: 0 });
    const four = generateCustomer({ ...OPTIONS, scale: 4, dirt: 0 });
    expect(one.map((sub) => sub.tables.projects.length)).to.deep.equal([5, 5, 3]);
    expect(four.map((sub) => sub.tables.projects.length)).to.deep.equal([20, 20, 10]);
    expect(four.map((sub) => sub.tables.contractors.length)).to.deep.equal([32, 32, 16]);
    expect(rowCount(one)).to.be.within(3000, 9000);
    // Addresses per project vary (80-160), so the ratio is near 4, not exactly 4.
    expect(rowCount(four) / rowCount(one)).to.be.within(3.3, 4.7);
  });
});
