import { type AssignmentRow, type FieldIssue, type MappingResult, TABLE_COLUMNS } from '../index.ts';
import {
  checkParents,
  compact,
  externalRefOf,
  failed,
  firstInvalidValue,
  type MappedRequest,
  type MappingContext,
  type ParentReference,
  request,
  type TargetCall,
  toOffsetDateTime,
  unmappedStatus,
  type WorkOrderUpdateBody,
} from '../mapping/index.ts';
import { groupById } from './message-groups.ts';
import { boundsQueryOf, sourceQueryOf } from './source-query.ts';
import type { CollectionDefinition } from './types.ts';

const TARGET: TargetCall = { method: 'PATCH', path: '/v1/work-orders/{workOrderId}' };
const PARENTS: readonly ParentReference[] = [
  // The assignment's own work order: the row itself, so never an orphan.
  { field: 'workOrderId', collection: 'work-orders', table: 'assignments', column: 'id' },
  { field: 'contractorId', collection: 'contractors', table: 'contractors', column: 'contractor_id' },
];

/**
 * Maps an `assignments` row to `PATCH /v1/work-orders/{id}`: the mapped
 * status, the contractor when set, the completion time when set. The schema's
 * conditions carry the rules PLANNED/IN_PROGRESS → `contractorId` and DONE →
 * `completedAt`.
 */
export function mapWorkOrderUpdate(row: AssignmentRow, ctx: MappingContext): MappingResult<MappedRequest<WorkOrderUpdateBody>> {
  const parents = checkParents(row, PARENTS, ctx);
  if (!parents.ok) return failed(parents.failure);
  const status = ctx.statusMaps.map('assignments.status', row.status);
  if (status === undefined) return failed(unmappedStatus('assignments.status', 'status', row.status, ctx));

  const issues: FieldIssue[] = [];
  const completedAt = toOffsetDateTime(row.completed_at, ctx.timeZone);
  if (!completedAt.ok) issues.push({ field: 'completedAt', issue: completedAt.issue });
  const body = compact<WorkOrderUpdateBody>({
    status,
    contractorId: parents.ids.contractorId,
    completedAt: completedAt.ok ? completedAt.value : undefined,
  });
  const invalid = firstInvalidValue('work-order-updates', body, issues);
  if (invalid) return failed(invalid);
  const externalRef = externalRefOf(ctx.database, 'assignments', row.id);
  return request(TARGET, externalRef, { workOrderId: parents.ids.workOrderId! }, body);
}

/** `assignments` → `work-order-updates` (the PATCH pass over migrated work orders). */
export const workOrderUpdates: CollectionDefinition<'work-order-updates'> = {
  collection: 'work-order-updates',
  ordered: false,
  table: 'assignments',
  schema: 'work-order-updates',
  parents: PARENTS,
  sourceQuery: sourceQueryOf('assignments', TABLE_COLUMNS.assignments, PARENTS),
  boundsQuery: boundsQueryOf('assignments'),
  target: TARGET,
  partOf: 'work-orders',
  recordAt: 'request',
  externalRef: (database, row) => externalRefOf(database, 'assignments', row.id),
  messageGroupId: (row, _database, groups) => groupById(row, groups),
  map: mapWorkOrderUpdate,
};
