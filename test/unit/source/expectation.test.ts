import { expect } from 'chai';
import { expectSubproject } from '../../../tooling/seed/expectation.ts';
import type { SubprojectOutcomes } from '../../../tooling/seed/expectation.ts';
import { address, assignment, contractor, document, project, ref, slot, subproject } from '../../helpers/source-rows.ts';

const DEFAULT = { migrateCompletedProjects: false };
const outcome = (outcomes: SubprojectOutcomes, collection: keyof SubprojectOutcomes, externalRef: string): unknown => outcomes[collection].get(externalRef);

describe('seed expectation (docs/mapping.md applied to rows)', () => {
  it('migrates every record of a clean sub-project', () => {
    const outcomes = expectSubproject(subproject(), DEFAULT);
    for (const map of Object.values(outcomes)) {
      for (const value of map.values()) expect(value).to.equal('migrated');
    }
  });

  it('cascades a completed project to every descendant as completed_project, and migrates them all with migrateCompletedProjects', () => {
    const sub = subproject({ projects: [project({ status: ' Completed ' })] });
    const skipped = expectSubproject(sub, DEFAULT);
    expect(outcome(skipped, 'projects', ref('projects', 1))).to.deep.equal({ code: 'completed_project' });
    for (const [collection, table] of [
      ['connections', 'addresses'],
      ['work-orders', 'assignments'],
      ['work-order-updates', 'assignments'],
      ['documents', 'documents'],
      ['planboard-slots', 'planboard_slots'],
    ] as const) {
      expect(outcome(skipped, collection, ref(table, 1)), collection).to.deep.equal({ code: 'completed_project' });
    }
    const migrated = expectSubproject(sub, { migrateCompletedProjects: true });
    for (const map of Object.values(migrated)) for (const value of map.values()) expect(value).to.equal('migrated');
  });

  it('fails the children of a failed address with parent_failed on the reference field', () => {
    const outcomes = expectSubproject(subproject({ addresses: [address({ house_number: 0 })] }), DEFAULT);
    expect(outcome(outcomes, 'connections', ref('addresses', 1))).to.deep.equal({ code: 'invalid_value', field: 'address.houseNumber' });
    expect(outcome(outcomes, 'work-orders', ref('assignments', 1))).to.deep.equal({ code: 'parent_failed', field: 'connectionId' });
    expect(outcome(outcomes, 'work-order-updates', ref('assignments', 1))).to.deep.equal({ code: 'parent_failed', field: 'workOrderId' });
    expect(outcome(outcomes, 'documents', ref('documents', 1))).to.deep.equal({ code: 'parent_failed', field: 'workOrderId' });
    expect(outcome(outcomes, 'planboard-slots', ref('planboard_slots', 1))).to.deep.equal({ code: 'parent_failed', field: 'workOrderId' });
  });

  it('reports a missing parent row as orphan on the field of the missing reference', () => {
    const outcomes = expectSubproject(
      subproject({
        addresses: [address(), address({ id: 2, project_id: 77, house_number: 2 })],
        assignments: [assignment(), assignment({ id: 2, address_id: 88 }), assignment({ id: 3, contractor_id: 99 })],
        documents: [document({ assignment_id: 55 })],
      }),
      DEFAULT,
    );
    expect(outcome(outcomes, 'connections', ref('addresses', 2))).to.deep.equal({ code: 'orphan', field: 'projectId' });
    expect(outcome(outcomes, 'work-orders', ref('assignments', 2))).to.deep.equal({ code: 'orphan', field: 'connectionId' });
    expect(outcome(outcomes, 'work-orders', ref('assignments', 3))).to.equal('migrated');
    expect(outcome(outcomes, 'work-order-updates', ref('assignments', 3))).to.deep.equal({ code: 'orphan', field: 'contractorId' });
    expect(outcome(outcomes, 'documents', ref('documents', 1))).to.deep.equal({ code: 'orphan', field: 'workOrderId' });
  });

  it('fails a work-order update whose contractor failed with parent_failed on contractorId', () => {
    const outcomes = expectSubproject(subproject({ contractors: [contractor({ email: 'geen e-mail' })] }), DEFAULT);
    expect(outcome(outcomes, 'contractors', ref('contractors', 1))).to.deep.equal({ code: 'invalid_value', field: 'email' });
    expect(outcome(outcomes, 'work-orders', ref('assignments', 1))).to.equal('migrated');
    expect(outcome(outcomes, 'work-order-updates', ref('assignments', 1))).to.deep.equal({ code: 'parent_failed', field: 'contractorId' });
  });

  it('migrates the lower id of two equal addresses and reports the higher one duplicate, unless the lower one failed', () => {
    const twins = [address({ id: 5, postcode: '3511 ab' }), address({ id: 9, postcode: '3511AB ' })];
    const outcomes = expectSubproject(subproject({ addresses: twins, assignments: [] }), DEFAULT);
    expect(outcome(outcomes, 'connections', ref('addresses', 5))).to.equal('migrated');
    expect(outcome(outcomes, 'connections', ref('addresses', 9))).to.deep.equal({ code: 'duplicate' });

    const firstFails = [address({ id: 5, status: 'verhuisd' }), address({ id: 9 })];
    const second = expectSubproject(subproject({ addresses: firstFails, assignments: [] }), DEFAULT);
    expect(outcome(second, 'connections', ref('addresses', 9))).to.equal('migrated');
  });

  it('maps a status through the sub-project settings map, ignoring case and surrounding spaces', () => {
    const sub = subproject({ projects: [project({ status: ' On Hold' })] });
    expect(outcome(expectSubproject(sub, DEFAULT), 'projects', ref('projects', 1))).to.deep.equal({ code: 'unmapped_status', field: 'status' });
    sub.statusMaps = { projects: { 'on hold': 'PLANNED' } };
    expect(outcome(expectSubproject(sub, DEFAULT), 'projects', ref('projects', 1))).to.equal('migrated');
  });

  it('treats inner spaces as significant: "in progress" is not in_progress', () => {
    const outcomes = expectSubproject(subproject({ assignments: [assignment({ status: 'in progress' })] }), DEFAULT);
    expect(outcome(outcomes, 'work-order-updates', ref('assignments', 1))).to.deep.equal({ code: 'unmapped_status', field: 'status' });
  });

  it('applies the PATCH rules: planned needs a contractor, done needs completed_at, a gap time is invalid', () => {
    const outcomes = expectSubproject(
      subproject({
        assignments: [
          assignment({ id: 1, status: 'planned', contractor_id: null }),
          assignment({ id: 2, status: 'done', completed_at: null }),
          assignment({ id: 3, status: 'done', completed_at: '2024-03-31 02:30:00' }),
          assignment({ id: 4, status: 'done', completed_at: '2024-10-27 02:30:00' }),
        ],
        documents: [],
        planboard_slots: [],
      }),
      DEFAULT,
    );
    expect(outcome(outcomes, 'work-order-updates', ref('assignments', 1))).to.deep.equal({ code: 'invalid_value', field: 'contractorId' });
    expect(outcome(outcomes, 'work-order-updates', ref('assignments', 2))).to.deep.equal({ code: 'invalid_value', field: 'completedAt' });
    expect(outcome(outcomes, 'work-order-updates', ref('assignments', 3))).to.deep.equal({ code: 'invalid_value', field: 'completedAt' });
    expect(outcome(outcomes, 'work-order-updates', ref('assignments', 4))).to.equal('migrated');
  });

  it('decides documents by size first (too_large, empty), then by bytes (checksum_mismatch)', () => {
    const huge = document({ id: 1, size_bytes: 26_214_401, content: Buffer.from('never read') });
    const empty = document({ id: 2, content: Buffer.alloc(0) });
    const wrongSize = document({ id: 3, size_bytes: 5 });
    const wrongSha = document({ id: 4, sha256: '0'.repeat(64) });
    const outcomes = expectSubproject(subproject({ documents: [huge, empty, wrongSize, wrongSha] }), DEFAULT);
    expect(outcome(outcomes, 'documents', ref('documents', 1))).to.deep.equal({ code: 'too_large', field: 'content' });
    expect(outcome(outcomes, 'documents', ref('documents', 2))).to.deep.equal({ code: 'invalid_value', field: 'content' });
    expect(outcome(outcomes, 'documents', ref('documents', 3))).to.deep.equal({ code: 'checksum_mismatch', field: 'content' });
    expect(outcome(outcomes, 'documents', ref('documents', 4))).to.deep.equal({ code: 'checksum_mismatch', field: 'content' });
  });

  it('fails slots that end before they start or start in the DST gap, and migrates one in the autumn hour', () => {
    const outcomes = expectSubproject(
      subproject({
        planboard_slots: [
          slot({ id: 1, starts_at: '2024-03-04 12:00:00', ends_at: '2024-03-04 08:00:00' }),
          slot({ id: 2, starts_at: '2024-03-31 02:30:00', ends_at: '2024-03-31 06:00:00' }),
          slot({ id: 3, starts_at: '2024-10-27 02:30:00', ends_at: '2024-10-27 04:00:00' }),
        ],
      }),
      DEFAULT,
    );
    expect(outcome(outcomes, 'planboard-slots', ref('planboard_slots', 1))).to.deep.equal({ code: 'invalid_value', field: 'end' });
    expect(outcome(outcomes, 'planboard-slots', ref('planboard_slots', 2))).to.deep.equal({ code: 'invalid_value', field: 'start' });
    expect(outcome(outcomes, 'planboard-slots', ref('planboard_slots', 3))).to.equal('migrated');
  });

  it('checks latitude before longitude and only when both coordinates are present', () => {
    const outcomes = expectSubproject(
      subproject({
        addresses: [
          address({ id: 1, latitude: 5.12, longitude: 52.09 }),
          address({ id: 2, house_number: 2, latitude: 53.08, longitude: 8.8 }),
          address({ id: 3, house_number: 3, latitude: 48.85, longitude: null }),
        ],
        assignments: [],
      }),
      DEFAULT,
    );
    expect(outcome(outcomes, 'connections', ref('addresses', 1))).to.deep.equal({ code: 'invalid_value', field: 'location.lat' });
    expect(outcome(outcomes, 'connections', ref('addresses', 2))).to.deep.equal({ code: 'invalid_value', field: 'location.lon' });
    expect(outcome(outcomes, 'connections', ref('addresses', 3))).to.equal('migrated');
  });

  it('normalises KvK spaces and postcodes but fails a KvK of the wrong length and an invalid postcode', () => {
    const outcomes = expectSubproject(
      subproject({
        contractors: [contractor({ id: 1, kvk_number: '3012 3456' }), contractor({ id: 2, kvk_number: '3012345' })],
        addresses: [address({ id: 1, postcode: '3511 ab' }), address({ id: 2, house_number: 2, postcode: '0511AB' })],
      }),
      DEFAULT,
    );
    expect(outcome(outcomes, 'contractors', ref('contractors', 1))).to.equal('migrated');
    expect(outcome(outcomes, 'contractors', ref('contractors', 2))).to.deep.equal({ code: 'invalid_value', field: 'kvkNumber' });
    expect(outcome(outcomes, 'connections', ref('addresses', 1))).to.equal('migrated');
    expect(outcome(outcomes, 'connections', ref('addresses', 2))).to.deep.equal({ code: 'invalid_value', field: 'address.postcode' });
  });

  it('counts remarks in code points: 2000 emoji pass, 2001 characters fail', () => {
    const outcomes = expectSubproject(
      subproject({
        assignments: [assignment({ id: 1, remarks: '🏠'.repeat(2000) }), assignment({ id: 2, remarks: 'x'.repeat(2001) })],
      }),
      DEFAULT,
    );
    expect(outcome(outcomes, 'work-orders', ref('assignments', 1))).to.equal('migrated');
    expect(outcome(outcomes, 'work-orders', ref('assignments', 2))).to.deep.equal({ code: 'invalid_value', field: 'remarks' });
  });
});
