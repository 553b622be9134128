import { CUSTOMER_KEY, ProfileError } from '../domain/index.ts';
import type { CustomerProfile, ProfileLoader, ResolvedProfile } from './types.ts';
import { DEFAULT_PROFILE } from './constants.ts';
import { assertCompleteProfile, assertProfileFile } from './validate-profile.ts';

type Json = Record<string, unknown>;

/**
 * Resolves a customer's profile: the customer's own file, or `default` when
 * there is none; then its `extends` chain (a file without `extends` extends
 * `default`), deep-merged with the child winning. Pure: files come from `load`.
 *
 * @throws ProfileError for an unsafe name, a file that fails the profile
 *   schema, a cycle, a missing parent, or a merged profile that lacks a setting.
 *
 * @example
 * const files: Record<string, unknown> = { default: defaultJson, acme: { rates: { targetRps: 50 } } };
 * const profile = resolveProfile('acme', (name) => files[name]); // default's settings, acme's rate; profile.profiles: ['default', 'acme']
 */
export function resolveProfile(customer: string, load: ProfileLoader): ResolvedProfile {
  if (!CUSTOMER_KEY.test(customer)) {
    throw new ProfileError(`customer "${customer}" is not a valid profile name (${CUSTOMER_KEY.source})`, { profile: customer });
  }
  const first = load(customer) === undefined ? DEFAULT_PROFILE : customer;
  const chain: string[] = [];
  const files: Json[] = [];
  let name: string | undefined = first;
  let child: string | undefined;
  while (name !== undefined) {
    if (chain.includes(name)) {
      throw new ProfileError(`profile "${first}" has an extends cycle: ${[...chain, name].join(' → ')}`, { profile: first });
    }
    const raw = load(name);
    if (raw === undefined) {
      const message = child === undefined ? `profile "${name}" does not exist` : `profile "${child}" (${child}.json) extends "${name}", which does not exist`;
      throw new ProfileError(message, { profile: child ?? name });
    }
    assertProfileFile(name, raw);
    const file = raw as Json;
    chain.push(name);
    files.push(file);
    child = name;
    name = parentOf(name, file, load);
  }
  const merged = files.reduceRight<Json>((base, file) => deepMerge(base, file), {});
  delete merged.extends;
  delete merged.description;
  const profiles = chain.reverse();
  assertCompleteProfile(first, profiles, merged);
  return { customer, profiles, ...(merged as unknown as CustomerProfile) };
}

/** The explicit parent, else `default` when it exists (so customer files hold only what differs). */
function parentOf(name: string, file: Json, load: ProfileLoader): string | undefined {
  if (typeof file.extends === 'string') return file.extends;
  return name !== DEFAULT_PROFILE && load(DEFAULT_PROFILE) !== undefined ? DEFAULT_PROFILE : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else in `child` replaces the base's value. */
function deepMerge(base: Json, child: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(child)) {
    const existing = merged[key];
    merged[key] = isObject(existing) && isObject(value) ? deepMerge(existing, value) : value;
  }
  return merged;
}

/** The FiberConnect tenant of a customer: its profile's `tenant`, or the customer itself. */
export function tenantOf(profile: Pick<ResolvedProfile, 'customer' | 'tenant'>): string {
  return profile.tenant ?? profile.customer;
}
