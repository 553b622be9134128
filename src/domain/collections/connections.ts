import { type AddressRow, type MappingResult, TABLE_COLUMNS } from '../index.ts';
import {
  checkParents,
  compact,
  type ConnectionBody,
  decimal,
  externalRefOf,
  failed,
  firstInvalidValue,
  type MappedRequest,
  type MappingContext,
  optionalText,
  type ParentReference,
  postcode,
  request,
  requiredText,
  type TargetCall,
  unmappedStatus,
} from '../mapping/index.ts';
import { bucketOf } from './message-groups.ts';
import { boundsQueryOf, sourceQueryOf } from './source-query.ts';
import type { CollectionDefinition } from './types.ts';

const TARGET: TargetCall = { method: 'POST', path: '/v1/connections' };
const PARENTS: readonly ParentReference[] = [{ field: 'projectId', collection: 'projects', table: 'projects', column: 'project_id' }];

/** Maps an `addresses` row to `POST /v1/connections`. */
export function mapConnection(row: AddressRow, ctx: MappingContext): MappingResult<MappedRequest<ConnectionBody>> {
  const parents = checkParents(row, PARENTS, ctx);
  if (!parents.ok) return failed(parents.failure);
  const type = ctx.statusMaps.map('addresses.kind', row.kind);
  if (type === undefined) return failed(unmappedStatus('addresses.kind', 'type', row.kind, ctx));
  const status = ctx.statusMaps.map('addresses.status', row.status);
  if (status === undefined) return failed(unmappedStatus('addresses.status', 'status', row.status, ctx));

  const externalRef = externalRefOf(ctx.database, 'addresses', row.id);
  const lat = decimal(row.latitude);
  const lon = decimal(row.longitude);
  const body = compact<ConnectionBody>({
    externalRef,
    projectId: parents.ids.projectId!,
    address: compact({
      postcode: postcode(row.postcode),
      houseNumber: row.house_number,
      houseLetter: optionalText(row.house_letter),
      houseAddition: optionalText(row.house_addition),
      street: requiredText(row.street),
      city: requiredText(row.city),
    }),
    location: lat !== undefined && lon !== undefined ? { lat, lon } : undefined,
    type,
    status,
  });
  const invalid = firstInvalidValue('connections', body);
  return invalid ? failed(invalid) : request(TARGET, externalRef, {}, body);
}

/**
 * The identity the target's `duplicate_address` rule compares, normalised as
 * the mapper does; letter and addition also case-folded, so the group is never
 * narrower than the target's rule.
 */
function addressIdentity(row: AddressRow, database: string): string {
  const fold = (value: string | null): string => (optionalText(value) ?? '').toLowerCase();
  return [database, row.project_id, postcode(row.postcode), row.house_number, fold(row.house_letter), fold(row.house_addition)].join('|');
}

/** `addresses` → `connections`. */
export const connections: CollectionDefinition<'connections'> = {
  collection: 'connections',
  ordered: true,
  table: 'addresses',
  schema: 'connections',
  parents: PARENTS,
  sourceQuery: sourceQueryOf('addresses', TABLE_COLUMNS.addresses, PARENTS),
  boundsQuery: boundsQueryOf('addresses'),
  target: TARGET,
  externalRef: (database, row) => externalRefOf(database, 'addresses', row.id),
  // Two same addresses of one project share a group, so the lower id reaches the target first.
  messageGroupId: (row, database, groups) => bucketOf(addressIdentity(row, database), groups),
  map: mapConnection,
};
