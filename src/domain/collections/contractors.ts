import { type ContractorRow, type MappingResult, TABLE_COLUMNS } from '../index.ts';
import {
  compact,
  type ContractorBody,
  externalRefOf,
  failed,
  firstInvalidValue,
  kvkNumber,
  type MappedRequest,
  type MappingContext,
  optionalText,
  request,
  requiredText,
  type TargetCall,
} from '../mapping/index.ts';
import { groupById } from './message-groups.ts';
import { boundsQueryOf, sourceQueryOf } from './source-query.ts';
import type { CollectionDefinition } from './types.ts';

const TARGET: TargetCall = { method: 'POST', path: '/v1/contractors' };

/** Maps a `contractors` row to `POST /v1/contractors`. */
export function mapContractor(row: ContractorRow, ctx: MappingContext): MappingResult<MappedRequest<ContractorBody>> {
  const externalRef = externalRefOf(ctx.database, 'contractors', row.id);
  const body = compact<ContractorBody>({
    externalRef,
    name: requiredText(row.name),
    kvkNumber: kvkNumber(row.kvk_number),
    email: optionalText(row.email),
    phone: optionalText(row.phone),
  });
  const invalid = firstInvalidValue('contractors', body);
  return invalid ? failed(invalid) : request(TARGET, externalRef, {}, body);
}

/** `contractors` → `contractors`. */
export const contractors: CollectionDefinition<'contractors'> = {
  collection: 'contractors',
  ordered: false,
  table: 'contractors',
  schema: 'contractors',
  parents: [],
  sourceQuery: sourceQueryOf('contractors', TABLE_COLUMNS.contractors, []),
  boundsQuery: boundsQueryOf('contractors'),
  target: TARGET,
  externalRef: (database, row) => externalRefOf(database, 'contractors', row.id),
  messageGroupId: (row, _database, groups) => groupById(row, groups),
  map: mapContractor,
};
