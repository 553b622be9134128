import { getEngine, preload } from '../../src/handler/engine.ts';
import { withOutageErrors } from '../../src/handler/outage-errors.ts';
import { fieldsParser } from '../../src/handler/parse-event.ts';
import { LegacyPrecheck } from '../../src/source/precheck.ts';
import type { PrecheckResult } from '../../src/source/types.ts';

// Loaded during init, not on the first invocation.
preload('target', 'legacy');

const parse = fieldsParser('precheck', ['customer']);

/**
 * The legacy pre-check of `make migrate STAGE=x`, invoked by the CLI from
 * inside the stage's network: the customer's active sub-projects, or an
 * InvalidInputError (unknown customer, none active) or LegacyDbUnreachableError.
 */
export const handler = async (event: unknown): Promise<PrecheckResult> => {
  const { customer } = parse(event);
  return withOutageErrors(async () => new LegacyPrecheck((await getEngine().legacy()).registry).check(customer));
};
