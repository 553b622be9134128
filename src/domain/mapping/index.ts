/**
 * What every collection's mapper shares: parent checks and failures, value normalising, legacy local
 * times, field hashes and merge patches.
 *
 * @packageDocumentation
 */
export { checkParents, externalRefOf, failed, firstInvalidValue, invalidValue, request, unmappedStatus } from './checks.ts';
export { changedFields, fieldHashesOf, fieldHashesOfObject, mergePatchOf, type FieldHashes } from './field-hashes.ts';
export { toOffsetDateTime, toTargetDate } from './local-time.ts';
export { compact, decimal, kvkNumber, optionalText, postcode, requiredText } from './normalise.ts';
export type {
  ConnectionBody,
  ContractorBody,
  MappedRequest,
  MappingContext,
  ParentOutcome,
  ParentReference,
  PlanboardSlotBody,
  ProjectBody,
  TargetCall,
  WorkOrderBody,
  WorkOrderUpdateBody,
} from './types.ts';
