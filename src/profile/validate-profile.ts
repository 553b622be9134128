import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { IANAZone } from 'luxon';
import { CUSTOMER_KEY_SCHEMA, ProfileError, SCHEMAS } from '../domain/index.ts';
import { runOptionsSchema } from './run-options.ts';
import profileSchema from './profile.schema.json' with { type: 'json' };

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const formatsInterop = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsInterop.default ?? formatsInterop;

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv, ['date', 'date-time', 'email']);
ajv.addFormat('iana-time-zone', { type: 'string', validate: (zone: string) => IANAZone.isValidZone(zone) });
// Status map values are checked against the target's own enums: the collection schemas stay the only copy.
for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema);
// The schemas profile.schema.json refers to: what a profile name is, and its runOptions (built from the run options' definitions).
ajv.addSchema(CUSTOMER_KEY_SCHEMA);
ajv.addSchema(runOptionsSchema());
ajv.addSchema(profileSchema);

const fileValidator = ajv.getSchema(profileSchema.$id) as ValidateFunction;
const completeValidator = ajv.getSchema(`${profileSchema.$id}#/$defs/complete`) as ValidateFunction;

/** Throws a {@link ProfileError} naming the file and fields when a profile file does not fit the profile schema. */
export function assertProfileFile(name: string, raw: unknown): void {
  if (!fileValidator(raw)) throw profileError(name, 'is not a valid profile', fileValidator.errors);
}

/** Throws a {@link ProfileError} when a merged profile lacks a setting that no file of its chain gives. */
export function assertCompleteProfile(name: string, chain: readonly string[], merged: unknown): void {
  if (!completeValidator(merged)) {
    throw profileError(name, `is incomplete after merging ${chain.map((file) => `${file}.json`).join(' ← ')}`, completeValidator.errors);
  }
}

function profileError(name: string, what: string, errors: ErrorObject[] | null | undefined): ProfileError {
  const issues = (errors ?? []).map(describe);
  return new ProfileError(`profile "${name}" (${name}.json) ${what}: ${issues.join('; ')}`, { profile: name, issues });
}

/** `field issue`, the field as a dotted path (`rates.targetRps must be > 0`). */
function describe(error: ErrorObject): string {
  const path = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  const field = path.join('.') || '(file)';
  if (error.keyword === 'format' && error.params.format === 'iana-time-zone') return `${field} is not an IANA time zone`;
  if (error.keyword === 'additionalProperties') return `${field} is not a profile setting`;
  if (error.keyword === 'enum') return `${field} must be one of ${(error.params.allowedValues as string[]).join(', ')}`;
  return `${field} ${error.message ?? error.keyword}`;
}
