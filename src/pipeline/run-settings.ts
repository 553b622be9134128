import { InvalidInputError } from '../domain/index.ts';
import { type ResolvedProfile, RUN_OPTIONS, type RunOptionDefinition, type RunOverrides } from '../profile/index.ts';
import type { RunSettings } from './types.ts';

const DEFINITIONS: ReadonlyMap<string, RunOptionDefinition> = new Map(RUN_OPTIONS.map((option) => [option.name, option]));

/** Throws an {@link InvalidInputError} naming the option when `value` is not one it takes (run-options.ts: type and range). */
function checkValue(option: RunOptionDefinition, value: unknown): void {
  const { name } = option;
  if (option.type === 'boolean') {
    if (typeof value !== 'boolean') throw new InvalidInputError(`option ${name} must be true or false`, { input: name, issue: String(value) });
    return;
  }
  const [min, max] = option.range!;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidInputError(`option ${name} must be a number from ${min} to ${max}`, { input: name, issue: String(value) });
  }
  if (option.type === 'integer' && !Number.isInteger(value)) {
    throw new InvalidInputError(`option ${name} must be a whole number of ${option.unit}`, { input: name, issue: String(value) });
  }
}

/**
 * Checks run options from a caller (CLI, state machine input) against their
 * definitions (run-options.ts): every unknown name or bad value is an {@link InvalidInputError}.
 *
 * @example
 * parseRunOverrides({ targetRps: 5, dryRun: true }); // { targetRps: 5, dryRun: true }
 * parseRunOverrides({ targetRps: 0 }); // throws: option targetRps must be a number from 0.1 to 10000
 */
export function parseRunOverrides(input: unknown): RunOverrides {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input))
    throw new InvalidInputError('run options must be an object', { input: 'options', issue: 'not an object' });
  const overrides: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const option = DEFINITIONS.get(name);
    if (!option) throw new InvalidInputError(`unknown run option ${name}`, { input: name, issue: 'unknown' });
    checkValue(option, value);
    overrides[name] = value;
  }
  return overrides as RunOverrides;
}

/** An option's value when the run gives none: the profile's, else the option's default. */
function defaultOf(option: RunOptionDefinition, profile: ResolvedProfile): unknown {
  const group = option.profile ? (profile[option.profile] as Readonly<Record<string, unknown>>) : undefined;
  return group?.[option.name] ?? option.default;
}

/**
 * The run's effective settings: the profile (or each option's default), then the overrides.
 *
 * @example
 * const settings = effectiveSettings(new FileProfiles('profiles').resolve('acme'), { targetRps: 5 });
 * settings.targetRps; // 5
 * settings.drainPollSeconds; // 2, its default: no profile sets it
 */
export function effectiveSettings(profile: ResolvedProfile, overrides: RunOverrides = {}): RunSettings {
  const defaults = Object.fromEntries(RUN_OPTIONS.map((option) => [option.name, defaultOf(option, profile)]));
  return { ...(defaults as Omit<RunSettings, 'consumerBatchSize'>), consumerBatchSize: profile.batchSizes.consumerBatchSize, ...overrides };
}
