import { fieldsParser, getEngine, preload, withOutageErrors } from '../../src/handler/index.ts';
import { LegacyPrecheck, type PrecheckResult } from '../../src/source/index.ts';

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
