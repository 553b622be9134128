/** Assertions on mapping results that print the whole failure or body when they do not hold. */
import { expect } from 'chai';
import type { MappedRequest } from '../../src/domain/mapping/types.ts';
import type { FailureCode, MappingResult, RecordFailure } from '../../src/domain/types.ts';

/** Asserts the exact code and field (undefined: no field) and returns the failure. */
export function expectFailure(result: MappingResult<unknown>, code: FailureCode, field: string | undefined): RecordFailure {
  if (result.ok) expect.fail(`expected ${code} on ${field}, got a body: ${JSON.stringify(result.body)}`);
  expect({ code: result.failure.code, field: result.failure.field }, result.failure.message).to.deep.equal({ code, field });
  return result.failure;
}

/** Asserts a successful mapping and returns the request. */
export function expectRequest<T>(result: MappingResult<MappedRequest<T>>): MappedRequest<T> {
  if (!result.ok) expect.fail(`expected a body, got ${JSON.stringify(result.failure)}`);
  return result.body;
}
