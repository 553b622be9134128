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

/** The fields the handlers' events share, each defined once: its TypeScript type... */
export interface EventFields {
  /** A customer key as used in the registry and parameter names. */
  customer: string;
  /** The run's id (the execution name the CLI gave it). */
  runId: string;
  /** The run's target rate: the handler's target calls count against it like every other. */
  targetRps: number;
  /** Ids of target workflows. */
  workflowIds: string[];
  /** Run options as given to the run (configure fills the rest from the profile). */
  options: Record<string, unknown>;
  /** How a run ended. */
  status: 'SUCCEEDED' | 'FAILED';
  /** A Step Functions error as a Catch records it. */
  error: { Error?: string; Cause?: string };
  /** What the restore steps answered. */
  target: { workflows?: { workflowsRestored?: boolean }; email?: { emailRestored?: boolean } };
  /** Rebuild a finished run's report without touching its end. */
  refresh: boolean;
  /** The run is a dry run: change nothing on the target. */
  dryRun: boolean;
}

/** ...and its JSON Schema. */
export const EVENT_FIELD_SCHEMAS: Readonly<Record<keyof EventFields, object>> = {
  customer: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
  runId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,80}$' },
  targetRps: { type: 'number', exclusiveMinimum: 0 },
  workflowIds: { type: 'array', items: { type: 'string', minLength: 1 } },
  options: { type: 'object' },
  status: { enum: ['SUCCEEDED', 'FAILED'] },
  error: { type: 'object' },
  target: { type: 'object' },
  refresh: { type: 'boolean' },
  dryRun: { type: 'boolean' },
};

/** An event of the given required and optional shared fields. */
export type EventOf<TRequired extends keyof EventFields, TOptional extends keyof EventFields = never> = Pick<EventFields, TRequired> & Partial<Pick<EventFields, TOptional>>;

/**
 * A parser for an event made of shared fields only: the schema is assembled
 * from {@link EVENT_FIELD_SCHEMAS}, the type from {@link EventFields}.
 */
export function fieldsParser<TRequired extends keyof EventFields, TOptional extends keyof EventFields = never>(
  name: string,
  required: readonly TRequired[],
  optional: readonly TOptional[] = [],
): (event: unknown) => EventOf<TRequired, TOptional> {
  const fields = [...required, ...optional];
  return eventParser<EventOf<TRequired, TOptional>>(name, {
    type: 'object',
    required,
    properties: Object.fromEntries(fields.map((field) => [field, EVENT_FIELD_SCHEMAS[field]])),
  });
}

/** JSON Schema fragment for a customer key, for the handlers whose events also carry fields of their own. */
export const CUSTOMER_SCHEMA = EVENT_FIELD_SCHEMAS.customer;
