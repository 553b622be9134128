import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import connections from './schemas/connections.schema.json' with { type: 'json' };
import contractors from './schemas/contractors.schema.json' with { type: 'json' };
import documents from './schemas/documents.schema.json' with { type: 'json' };
import planboardSlots from './schemas/planboard-slots.schema.json' with { type: 'json' };
import projects from './schemas/projects.schema.json' with { type: 'json' };
import workOrderUpdates from './schemas/work-order-updates.schema.json' with { type: 'json' };
import workOrders from './schemas/work-orders.schema.json' with { type: 'json' };
import type { Collection } from './types.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const formatsInterop = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsInterop.default ?? formatsInterop;

/** The JSON Schemas of the target's collections (docs/fiberconnect-api.md), one per collection: the only copy, used by the engine and the stand-in. */
export const SCHEMAS: Readonly<Record<Collection, object>> = {
  projects,
  contractors,
  connections,
  'work-orders': workOrders,
  'work-order-updates': workOrderUpdates,
  documents,
  'planboard-slots': planboardSlots,
};

/** One schema violation, named by the target's field as a dotted path. */
export interface FieldIssue {
  field: string;
  issue: string;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv, ['date', 'date-time', 'email']);

const validators = new Map<Collection, ValidateFunction>(
  Object.entries(SCHEMAS).map(([collection, schema]) => [collection as Collection, ajv.compile(schema)]),
);

/** Dotted field name of an ajv error: the instance path, or the missing property for `required`. */
function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  return path.join('.');
}

// Issues of `if`/`allOf` wrappers repeat what their `required` child already says.
const WRAPPER_KEYWORDS = new Set(['if', 'allOf']);

/**
 * Validates a request body against its collection's schema.
 * Returns every issue in schema order; an empty list means the body is valid.
 */
export function validateBody(collection: Collection, body: unknown): FieldIssue[] {
  const validate = validators.get(collection);
  if (!validate) throw new Error(`no schema for collection ${collection}`);
  if (validate(body)) return [];
  return (validate.errors ?? [])
    .filter((error) => !WRAPPER_KEYWORDS.has(error.keyword))
    .map((error) => ({ field: fieldOf(error), issue: error.message ?? error.keyword }));
}
