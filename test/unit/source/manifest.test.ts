import { expect } from 'chai';
import { COLLECTIONS } from '../../../src/domain/constants.ts';
import { generateWithManifest } from '../../../tooling/seed/manifest.ts';
import type { ExpectedOutcome, Expectation, SeedOptions } from '../../../tooling/seed/types.ts';

const OPTIONS: SeedOptions = { customer: 'unit', seed: 3, scale: 0.6, dirt: 0.08 };

function outcomeOf(expectation: Expectation, collection: (typeof COLLECTIONS)[number], externalRef: string): ExpectedOutcome {
  const failure = expectation.entities[collection].failures.find((f) => f.externalRef === externalRef);
  if (!failure) return 'migrated';
  return failure.field ? { code: failure.code, field: failure.field } : { code: failure.code };
}

describe('seed manifest', () => {
  const { subprojects, manifest } = generateWithManifest(OPTIONS);
  const active = subprojects.filter((sub) => sub.spec.active);

  it('names the options and the three sub-projects', () => {
    expect(manifest).to.include({ customer: 'unit', seed: 3, scale: 0.6, dirt: 0.08 });
    expect(manifest.subprojects.map((s) => s.database)).to.deep.equal(['fp_unit_north', 'fp_unit_south', 'fp_unit_archive']);
  });

  it('keeps source = migrated + skipped + failed, lists every failed and skipped record, sorted by externalRef', () => {
    for (const expectation of [manifest.expected.default, manifest.expected.migrateCompletedProjects]) {
      expect(Object.keys(expectation.entities)).to.deep.equal([...COLLECTIONS]);
      for (const [collection, entry] of Object.entries(expectation.entities)) {
        expect(entry.source, collection).to.equal(entry.migrated + entry.skipped + entry.failed);
        expect(entry.failures, collection).to.have.length(entry.skipped + entry.failed);
        const refs = entry.failures.map((f) => f.externalRef);
        expect(refs, collection).to.deep.equal([...refs].sort());
        expect(new Set(refs).size, collection).to.equal(refs.length);
      }
    }
  });

  it('counts only the active sub-projects, one work-order update per assignment', () => {
    const { entities } = manifest.expected.default;
    const sum = (table: keyof (typeof active)[number]['tables']): number => active.reduce((n, sub) => n + sub.tables[table].length, 0);
    expect(entities.projects.source).to.equal(sum('projects'));
    expect(entities.connections.source).to.equal(sum('addresses'));
    expect(entities['work-orders'].source).to.equal(sum('assignments'));
    expect(entities['work-order-updates'].source).to.equal(sum('assignments'));
    expect(entities.documents.source).to.equal(sum('documents'));
    expect(entities['planboard-slots'].source).to.equal(sum('planboard_slots'));
    const refs = Object.values(entities).flatMap((entry) => entry.failures.map((f) => f.externalRef));
    expect(refs.some((externalRef) => externalRef.startsWith('fp_unit_archive:'))).to.equal(false);
  });

  it('predicts for every planted defect the outcome it was planted with', () => {
    expect(manifest.planted.length).to.be.greaterThan(40);
    for (const planted of manifest.planted) {
      expect(outcomeOf(manifest.expected.default, planted.collection, planted.externalRef), `${planted.defect} ${planted.externalRef}`).to.deep.equal(
        planted.expect,
      );
    }
  });

  it('only skips with completed_project, and skips nothing when migrateCompletedProjects is set', () => {
    for (const entry of Object.values(manifest.expected.default.entities)) {
      expect(entry.failures.filter((f) => f.code === 'completed_project')).to.have.length(entry.skipped);
    }
    for (const entry of Object.values(manifest.expected.migrateCompletedProjects.entities)) expect(entry.skipped).to.equal(0);
    const skippedProjects = manifest.planted.filter((p) => p.defect === 'completed-project' || p.defect === 'completed-project-cascade');
    expect(skippedProjects.length).to.be.at.least(6);
    for (const p of skippedProjects) expect(outcomeOf(manifest.expected.migrateCompletedProjects, p.collection, p.externalRef)).to.equal('migrated');
  });

  it('predicts a clean run when DIRT = 0: everything migrated, nothing planted', () => {
    const clean = generateWithManifest({ ...OPTIONS, dirt: 0 }).manifest;
    expect(clean.planted).to.have.length(0);
    for (const entry of Object.values(clean.expected.default.entities)) {
      expect(entry.source).to.be.greaterThan(0);
      expect(entry.migrated).to.equal(entry.source);
    }
  });
});
