import { expect } from 'chai';
import { mapWorkOrderUpdate } from '../../../../src/domain/collections/work-order-updates.ts';
import { anAssignment } from '../../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../../helpers/mapping-context.ts';
import { expectFailure, expectRequest } from '../../../helpers/mapping-results.ts';

describe('work-order-updates mapping', () => {
  it('maps an assignment to the exact PATCH of its work order', () => {
    expect(expectRequest(mapWorkOrderUpdate(anAssignment(), aMappingContext()))).to.deep.equal({
      externalRef: 'fp_demo_north:assignments:100',
      method: 'PATCH',
      path: '/v1/work-orders/work-orders-100',
      headers: {},
      body: { status: 'PLANNED', contractorId: 'contractors-5' },
    });
  });

  it("maps a DONE assignment's completed_at to completedAt with the summer offset", () => {
    const row = anAssignment({ status: 'Done', completed_at: '2024-05-01 09:30:00' });
    expect(expectRequest(mapWorkOrderUpdate(row, aMappingContext())).body).to.deep.equal({
      status: 'DONE',
      contractorId: 'contractors-5',
      completedAt: '2024-05-01T09:30:00+02:00',
    });
  });

  it('sends only the status of an OPEN assignment without a contractor', () => {
    const row = anAssignment({ status: 'open', contractor_id: null, contractor_id_exists: 0 });
    expect(expectRequest(mapWorkOrderUpdate(row, aMappingContext())).body).to.deep.equal({ status: 'OPEN' });
  });

  it('fails PLANNED without a contractor with invalid_value on contractorId', () => {
    const row = anAssignment({ status: 'planned', contractor_id: null, contractor_id_exists: 0 });
    expectFailure(mapWorkOrderUpdate(row, aMappingContext()), 'invalid_value', 'contractorId');
  });

  it('fails IN_PROGRESS without a contractor with invalid_value on contractorId', () => {
    const row = anAssignment({ status: 'in_progress', contractor_id: null, contractor_id_exists: 0 });
    expectFailure(mapWorkOrderUpdate(row, aMappingContext()), 'invalid_value', 'contractorId');
  });

  it('fails DONE without completed_at with invalid_value on completedAt', () => {
    expectFailure(mapWorkOrderUpdate(anAssignment({ status: 'done', completed_at: null }), aMappingContext()), 'invalid_value', 'completedAt');
  });

  it('fails DONE with a zero completed_at with invalid_value on completedAt', () => {
    const row = anAssignment({ status: 'done', completed_at: '0000-00-00 00:00:00' });
    expectFailure(mapWorkOrderUpdate(row, aMappingContext()), 'invalid_value', 'completedAt');
  });

  it('fails a completed_at in the spring-forward gap (2024-03-31 02:30) with invalid_value on completedAt', () => {
    const row = anAssignment({ status: 'done', completed_at: '2024-03-31 02:30:00' });
    expectFailure(mapWorkOrderUpdate(row, aMappingContext()), 'invalid_value', 'completedAt');
  });

  it("fails an assignment status nobody mapped ('in progress', inner space) with unmapped_status on status", () => {
    expectFailure(mapWorkOrderUpdate(anAssignment({ status: 'in progress' }), aMappingContext()), 'unmapped_status', 'status');
  });

  it('fails an assignment whose work order failed with parent_failed on workOrderId', () => {
    const ctx = aMappingContext({}, { 'work-orders:100': { state: 'failed', code: 'orphan' } });
    expectFailure(mapWorkOrderUpdate(anAssignment(), ctx), 'parent_failed', 'workOrderId');
  });

  it('skips an assignment whose work order was skipped under a COMPLETED project with completed_project', () => {
    const ctx = aMappingContext({}, { 'work-orders:100': { state: 'skipped', code: 'completed_project' } });
    expectFailure(mapWorkOrderUpdate(anAssignment(), ctx), 'completed_project', undefined);
  });

  it('fails an assignment whose contractor does not exist with orphan on contractorId', () => {
    expectFailure(mapWorkOrderUpdate(anAssignment({ contractor_id: 77, contractor_id_exists: 0 }), aMappingContext()), 'orphan', 'contractorId');
  });

  it('fails an assignment whose contractor failed with parent_failed on contractorId', () => {
    const ctx = aMappingContext({}, { 'contractors:5': { state: 'failed', code: 'invalid_value' } });
    expectFailure(mapWorkOrderUpdate(anAssignment(), ctx), 'parent_failed', 'contractorId');
  });

  it('checks the work order before the contractor', () => {
    const ctx = aMappingContext({}, { 'work-orders:100': undefined, 'contractors:5': { state: 'failed', code: 'invalid_value' } });
    expectFailure(mapWorkOrderUpdate(anAssignment({ contractor_id_exists: 0 }), ctx), 'parent_failed', 'workOrderId');
  });
});
