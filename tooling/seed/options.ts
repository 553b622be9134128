import { InvalidInputError } from '../../src/domain/index.ts';
import { CUSTOMER_PATTERN, MAX_SCALE, SEED_DEFAULTS } from './constants.ts';
import type { SeedOptions } from './types.ts';

function invalid(input: string, issue: string): InvalidInputError {
  return new InvalidInputError(`${input} ${issue}`, { input, issue });
}

/** A number from an environment variable, or the default when unset or empty. */
function numberOf(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw invalid(name, `must be a number (got "${raw}")`);
  return value;
}

/**
 * Reads CUSTOMER, SEED, SCALE and DIRT from the environment, with the defaults of
 * {@link SEED_DEFAULTS}. Throws {@link InvalidInputError} with a one-line message on a bad value.
 */
export function parseSeedOptions(env: NodeJS.ProcessEnv): SeedOptions {
  const customer = env.CUSTOMER?.trim() || SEED_DEFAULTS.customer;
  if (!CUSTOMER_PATTERN.test(customer)) {
    throw invalid('CUSTOMER', `must be lower-case letters, digits and _ starting with a letter, at most 40 (got "${customer}")`);
  }
  const seed = numberOf(env, 'SEED', SEED_DEFAULTS.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw invalid('SEED', `must be an integer from 0 to 4294967295 (got ${seed})`);
  const scale = numberOf(env, 'SCALE', SEED_DEFAULTS.scale);
  if (!(scale > 0 && scale <= MAX_SCALE)) throw invalid('SCALE', `must be above 0 and at most ${MAX_SCALE} (got ${scale})`);
  const dirt = numberOf(env, 'DIRT', SEED_DEFAULTS.dirt);
  if (!(dirt >= 0 && dirt <= 1)) throw invalid('DIRT', `must be from 0 to 1 (got ${dirt})`);
  return { customer, seed, scale, dirt };
}
