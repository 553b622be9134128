import { expect } from 'chai';
import { mapWorkOrder } from '../../../../src/domain/collections/work-orders.ts';
import { anAssignment } from '../../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../../helpers/mapping-context.ts';
import { expectFailure, expectRequest } from '../../../helpers/mapping-results.ts';

describe('work-orders mapping', () => {
  it('maps an assignment row to the exact POST /v1/work-orders body, without status or contractor', () => {
    expect(expectRequest(mapWorkOrder(anAssignment(), aMappingContext()))).to.deep.equal({
      externalRef: 'fp_demo_north:assignments:100',
      method: 'POST',
      path: '/v1/work-orders',
      headers: {},
      body: {
        externalRef: 'fp_demo_north:assignments:100',
        connectionId: 'connections-10',
        type: 'CIVIL',
        plannedDate: '2024-06-03',
        remarks: 'Sleutel bij de buren',
      },
    });
  });

  it('maps a zero planned date and empty remarks to absent fields', () => {
    const body = expectRequest(mapWorkOrder(anAssignment({ planned_date: '0000-00-00', remarks: '  ' }), aMappingContext())).body;
    expect(body).to.not.have.any.keys('plannedDate', 'remarks');
  });

  it('fails remarks over 2000 characters with invalid_value on remarks', () => {
    expectFailure(mapWorkOrder(anAssignment({ remarks: 'r'.repeat(2001) }), aMappingContext()), 'invalid_value', 'remarks');
  });

  it('accepts remarks of exactly 2000 characters, emoji counted as one', () => {
    const remarks = `${'r'.repeat(1999)}🚧`;
    expect(expectRequest(mapWorkOrder(anAssignment({ remarks }), aMappingContext())).body.remarks).to.equal(remarks);
  });

  it('fails a type nobody mapped with unmapped_status on type', () => {
    expectFailure(mapWorkOrder(anAssignment({ type: 'digging' }), aMappingContext()), 'unmapped_status', 'type');
  });

  it('does not judge the assignment status when creating the work order', () => {
    expect(expectRequest(mapWorkOrder(anAssignment({ status: 'unheard of' }), aMappingContext())).body).to.not.have.property('status');
  });

  it('fails an assignment whose address does not exist with orphan on connectionId', () => {
    expectFailure(mapWorkOrder(anAssignment({ address_id_exists: 0 }), aMappingContext()), 'orphan', 'connectionId');
  });

  it('fails an assignment whose address failed with parent_failed on connectionId', () => {
    const ctx = aMappingContext({}, { 'connections:10': { state: 'failed', code: 'duplicate' } });
    expectFailure(mapWorkOrder(anAssignment(), ctx), 'parent_failed', 'connectionId');
  });

  it('skips an assignment under a COMPLETED project with completed_project', () => {
    const ctx = aMappingContext({}, { 'connections:10': { state: 'skipped', code: 'completed_project' } });
    expectFailure(mapWorkOrder(anAssignment(), ctx), 'completed_project', undefined);
  });
});
