import { type AssignmentRow, type MappingResult, TABLE_COLUMNS } from '../index.ts';
import {
  checkParents,
  compact,
  externalRefOf,
  failed,
  firstInvalidValue,
  type MappedRequest,
  type MappingContext,
  optionalText,
  type ParentReference,
  request,
  type TargetCall,
  toTargetDate,
  unmappedStatus,
  type WorkOrderBody,
} from '../mapping/index.ts';
import { groupById } from './message-groups.ts';
import { boundsQueryOf, sourceQueryOf } from './source-query.ts';
import type { CollectionDefinition } from './types.ts';

const TARGET: TargetCall = { method: 'POST', path: '/v1/work-orders' };
const PARENTS: readonly ParentReference[] = [{ field: 'connectionId', collection: 'connections', table: 'addresses', column: 'address_id' }];
/** Shared with `work-order-updates`: both passes read the whole assignment. */

/** Maps an `assignments` row to `POST /v1/work-orders` (created OPEN without a contractor; status comes in the PATCH pass). */
export function mapWorkOrder(row: AssignmentRow, ctx: MappingContext): MappingResult<MappedRequest<WorkOrderBody>> {
  const parents = checkParents(row, PARENTS, ctx);
  if (!parents.ok) return failed(parents.failure);
  const type = ctx.statusMaps.map('assignments.type', row.type);
  if (type === undefined) return failed(unmappedStatus('assignments.type', 'type', row.type, ctx));

  const externalRef = externalRefOf(ctx.database, 'assignments', row.id);
  const body = compact<WorkOrderBody>({
    externalRef,
    connectionId: parents.ids.connectionId!,
    type,
    plannedDate: toTargetDate(row.planned_date),
    remarks: optionalText(row.remarks),
  });
  const invalid = firstInvalidValue('work-orders', body);
  return invalid ? failed(invalid) : request(TARGET, externalRef, {}, body);
}

/** `assignments` → `work-orders` (the create). */
export const workOrders: CollectionDefinition<'work-orders'> = {
  collection: 'work-orders',
  ordered: false,
  table: 'assignments',
  schema: 'work-orders',
  parents: PARENTS,
  sourceQuery: sourceQueryOf('assignments', TABLE_COLUMNS.assignments, PARENTS),
  boundsQuery: boundsQueryOf('assignments'),
  target: TARGET,
  externalRef: (database, row) => externalRefOf(database, 'assignments', row.id),
  messageGroupId: (row, _database, groups) => groupById(row, groups),
  map: mapWorkOrder,
};
