import { type MappingResult, type ProjectRow, TABLE_COLUMNS } from '../index.ts';
import {
  compact,
  externalRefOf,
  failed,
  firstInvalidValue,
  invalidValue,
  type MappedRequest,
  type MappingContext,
  optionalText,
  type ProjectBody,
  request,
  requiredText,
  type TargetCall,
  toTargetDate,
  unmappedStatus,
} from '../mapping/index.ts';
import { groupById } from './message-groups.ts';
import { boundsQueryOf, sourceQueryOf } from './source-query.ts';
import type { CollectionDefinition } from './types.ts';

const TARGET: TargetCall = { method: 'POST', path: '/v1/projects' };

/** Maps a `projects` row to `POST /v1/projects`. */
export function mapProject(row: ProjectRow, ctx: MappingContext): MappingResult<MappedRequest<ProjectBody>> {
  const externalRef = externalRefOf(ctx.database, 'projects', row.id);
  const status = ctx.statusMaps.map('projects.status', row.status);
  if (status === 'COMPLETED' && !ctx.options.migrateCompletedProjects) {
    return failed({ code: 'completed_project', message: `${externalRef} is COMPLETED and the run does not migrate completed projects` });
  }
  if (status === undefined) return failed(unmappedStatus('projects.status', 'status', row.status, ctx));

  const body = compact<ProjectBody>({
    externalRef,
    code: requiredText(row.code),
    name: requiredText(row.name),
    status,
    municipality: optionalText(row.municipality),
    startDate: toTargetDate(row.start_date),
    endDate: toTargetDate(row.end_date),
  });
  const invalid = firstInvalidValue('projects', body);
  if (invalid) return failed(invalid);
  // Both are valid YYYY-MM-DD here, so string order is date order.
  if (body.startDate && body.endDate && body.endDate < body.startDate) {
    return failed(invalidValue('endDate', `endDate ${body.endDate} is before startDate ${body.startDate}`, body.endDate));
  }
  return request(TARGET, externalRef, {}, body);
}

/** `projects` → `projects`. */
export const projects: CollectionDefinition<'projects'> = {
  collection: 'projects',
  ordered: false,
  table: 'projects',
  schema: 'projects',
  parents: [],
  sourceQuery: sourceQueryOf('projects', TABLE_COLUMNS.projects, []),
  boundsQuery: boundsQueryOf('projects'),
  target: TARGET,
  externalRef: (database, row) => externalRefOf(database, 'projects', row.id),
  messageGroupId: (row, _database, groups) => groupById(row, groups),
  map: mapProject,
};
