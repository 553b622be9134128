import { Ajv2020 } from 'ajv/dist/2020.js';
import { InvalidInputError } from '../domain/errors.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });

/**
 * Builds a parser for one handler's event from its JSON Schema: the event
 * comes back typed, or an {@link InvalidInputError} names every bad field.
 * The Step Functions task then fails with that error instead of doing half a job.
 */
export function eventParser<TEvent>(name: string, schema: object): (event: unknown) => TEvent {
  const validate = ajv.compile(schema);
  return (event: unknown): TEvent => {
    if (validate(event)) return event as TEvent;
    const issue = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`).join('; ');
    throw new InvalidInputError(`invalid ${name} event: ${issue}`, { input: name, issue });
  };
}

/** JSON Schema fragment for a customer key as used in the registry and parameter names. */
export const CUSTOMER_SCHEMA = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } as const;
