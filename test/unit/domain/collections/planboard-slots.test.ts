import { expect } from 'chai';
import { mapPlanboardSlot } from '../../../../src/domain/collections/planboard-slots.ts';
import { aPlanboardSlot } from '../../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../../helpers/mapping-context.ts';
import { expectFailure, expectRequest } from '../../../helpers/mapping-results.ts';

describe('planboard-slots mapping', () => {
  it('maps a slot to the exact POST /v1/planboard-slots body with the customer offset', () => {
    expect(expectRequest(mapPlanboardSlot(aPlanboardSlot(), aMappingContext()))).to.deep.equal({
      externalRef: 'fp_demo_north:planboard_slots:3',
      method: 'POST',
      path: '/v1/planboard-slots',
      headers: {},
      body: {
        externalRef: 'fp_demo_north:planboard_slots:3',
        workOrderId: 'work-orders-100',
        team: 'Ploeg A',
        start: '2024-06-03T08:00:00+02:00',
        end: '2024-06-03T12:00:00+02:00',
      },
    });
  });

  it('uses the winter offset in January', () => {
    const body = expectRequest(mapPlanboardSlot(aPlanboardSlot({ starts_at: '2024-01-08 08:00:00', ends_at: '2024-01-08 10:00:00' }), aMappingContext())).body;
    expect([body.start, body.end]).to.deep.equal(['2024-01-08T08:00:00+01:00', '2024-01-08T10:00:00+01:00']);
  });

  it('fails a slot that ends before it starts with invalid_value on end', () => {
    expectFailure(mapPlanboardSlot(aPlanboardSlot({ ends_at: '2024-06-03 07:59:59' }), aMappingContext()), 'invalid_value', 'end');
  });

  it('fails a slot that ends when it starts with invalid_value on end', () => {
    expectFailure(mapPlanboardSlot(aPlanboardSlot({ ends_at: '2024-06-03 08:00:00' }), aMappingContext()), 'invalid_value', 'end');
  });

  it('fails a start in the spring-forward gap (2024-03-31 02:30) with invalid_value on start', () => {
    const row = aPlanboardSlot({ starts_at: '2024-03-31 02:30:00', ends_at: '2024-03-31 04:00:00' });
    expectFailure(mapPlanboardSlot(row, aMappingContext()), 'invalid_value', 'start');
  });

  it('fails an end in the spring-forward gap with invalid_value on end', () => {
    const row = aPlanboardSlot({ starts_at: '2024-03-31 01:00:00', ends_at: '2024-03-31 02:15:00' });
    expectFailure(mapPlanboardSlot(row, aMappingContext()), 'invalid_value', 'end');
  });

  it('gives an ambiguous autumn time (2024-10-27 02:30) the earlier summer offset +02:00', () => {
    const row = aPlanboardSlot({ starts_at: '2024-10-27 02:30:00', ends_at: '2024-10-27 05:00:00' });
    const body = expectRequest(mapPlanboardSlot(row, aMappingContext())).body;
    expect([body.start, body.end]).to.deep.equal(['2024-10-27T02:30:00+02:00', '2024-10-27T05:00:00+01:00']);
  });

  it('fails a zero end time with invalid_value on end (a required field)', () => {
    expectFailure(mapPlanboardSlot(aPlanboardSlot({ ends_at: '0000-00-00 00:00:00' }), aMappingContext()), 'invalid_value', 'end');
  });

  it('names the team before a start in the gap (order of the target fields)', () => {
    const row = aPlanboardSlot({ team: '', starts_at: '2024-03-31 02:30:00' });
    expectFailure(mapPlanboardSlot(row, aMappingContext()), 'invalid_value', 'team');
  });

  it('fails a slot whose assignment does not exist with orphan on workOrderId', () => {
    expectFailure(mapPlanboardSlot(aPlanboardSlot({ assignment_id_exists: 0 }), aMappingContext()), 'orphan', 'workOrderId');
  });

  it('fails a slot whose work order the ledger has not seen with parent_failed on workOrderId', () => {
    expectFailure(mapPlanboardSlot(aPlanboardSlot(), aMappingContext({}, { 'work-orders:100': undefined })), 'parent_failed', 'workOrderId');
  });
});
