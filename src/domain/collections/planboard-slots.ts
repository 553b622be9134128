import { type FieldIssue, type MappingResult, type PlanboardSlotRow, TABLE_COLUMNS } from '../index.ts';
import {
  checkParents,
  compact,
  externalRefOf,
  failed,
  firstInvalidValue,
  invalidValue,
  type MappedRequest,
  type MappingContext,
  type ParentReference,
  type PlanboardSlotBody,
  request,
  requiredText,
  type TargetCall,
  toOffsetDateTime,
} from '../mapping/index.ts';
import { groupById } from './message-groups.ts';
import { boundsQueryOf, sourceQueryOf } from './source-query.ts';
import type { CollectionDefinition } from './types.ts';

const TARGET: TargetCall = { method: 'POST', path: '/v1/planboard-slots' };
const PARENTS: readonly ParentReference[] = [{ field: 'workOrderId', collection: 'work-orders', table: 'assignments', column: 'assignment_id' }];

/** Maps a `planboard_slots` row to `POST /v1/planboard-slots`. */
export function mapPlanboardSlot(row: PlanboardSlotRow, ctx: MappingContext): MappingResult<MappedRequest<PlanboardSlotBody>> {
  const parents = checkParents(row, PARENTS, ctx);
  if (!parents.ok) return failed(parents.failure);

  const issues: FieldIssue[] = [];
  const start = toOffsetDateTime(row.starts_at, ctx.timeZone);
  if (!start.ok) issues.push({ field: 'start', issue: start.issue });
  const end = toOffsetDateTime(row.ends_at, ctx.timeZone);
  if (!end.ok) issues.push({ field: 'end', issue: end.issue });
  const externalRef = externalRefOf(ctx.database, 'planboard_slots', row.id);
  // start or end may be missing here; the schema then names the field.
  const body = compact({
    externalRef,
    workOrderId: parents.ids.workOrderId,
    team: requiredText(row.team),
    start: start.ok ? start.value : undefined,
    end: end.ok ? end.value : undefined,
  }) as PlanboardSlotBody;
  const invalid = firstInvalidValue('planboard-slots', body, issues);
  if (invalid) return failed(invalid);
  if (Date.parse(body.end) <= Date.parse(body.start)) {
    return failed(invalidValue('end', `end ${body.end} is not after start ${body.start}`, body.end));
  }
  return request(TARGET, externalRef, {}, body);
}

/** `planboard_slots` → `planboard-slots`. */
export const planboardSlots: CollectionDefinition<'planboard-slots'> = {
  collection: 'planboard-slots',
  ordered: false,
  table: 'planboard_slots',
  schema: 'planboard-slots',
  parents: PARENTS,
  sourceQuery: sourceQueryOf('planboard_slots', TABLE_COLUMNS.planboard_slots, PARENTS),
  boundsQuery: boundsQueryOf('planboard_slots'),
  target: TARGET,
  externalRef: (database, row) => externalRefOf(database, 'planboard_slots', row.id),
  messageGroupId: (row, _database, groups) => groupById(row, groups),
  map: mapPlanboardSlot,
};
