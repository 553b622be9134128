import { Ajv2020 } from 'ajv/dist/2020.js';
import { type Collection, COLLECTIONS, CUSTOMER_KEY, InvalidInputError } from '../domain/index.ts';
import type { IdRange, PageState } from '../pipeline/index.ts';
import type { RemovalPage } from '../rollback/index.ts';
import { SUBPROJECT_NAME_PATTERN } from '../source/index.ts';
import type { ProgressWaitState } from '../wait/index.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });

/**
 * Compiles one handler's event schema: the event comes back typed, or an
 * {@link InvalidInputError} names every bad field. The Step Functions task
 * then fails with that error instead of doing half a job.
 */
function compileParser<TEvent>(name: string, schema: object): (event: unknown) => TEvent {
  const validate = ajv.compile(schema);
  return (event: unknown): TEvent => {
    if (validate(event)) return event as TEvent;
    const issue = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`).join('; ');
    throw new InvalidInputError(`invalid ${name} event: ${issue}`, { input: name, issue });
  };
}

/*
 * The verification's two event fields are typed here rather than in verify/:
 * the verification wires itself on the engine (verify/ imports handler/), so
 * handler/ imports nothing of verify/.
 */

/** The settings a verification works with: the customer's rates and page sizes. */
export interface VerifySettings {
  /** Requests per second to FiberConnect (the customer's target rate). */
  targetRps: number;
  /** Source pages per second (the customer's source rate). */
  sourceRps: number;
  /** Rows per source page. */
  sourceBatchSize: number;
}

/** Where a paging step stands: `cursor` is absent before the first page. */
export interface VerifyPage {
  done: boolean;
  cursor?: string;
}

/** The fields the handlers' events share, each defined once: its TypeScript type... */
export interface EventFields {
  /** A customer key as used in the registry and parameter names. */
  customer: string;
  /** The run's id (the execution name the CLI gave it). */
  runId: string;
  /** The execution running the run (`$$.Execution.Id`): what tells a live run lock from a stale one. */
  executionArn: string;
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
  /** The run is a dry run: change nothing on the target. */
  dryRun: boolean;
  /** What the producer does: cut a table into id ranges, or queue pages of one range. */
  action: 'plan' | 'produce';
  /** A sub-project's legacy database name. */
  database: string;
  /** One collection of the migration. */
  collection: Collection;
  /** Collections to work on (all when absent). */
  collections: Collection[];
  /** One id range of a table. */
  range: IdRange;
  /** Where a producer stands in its range. */
  page: PageState;
  /** Where a rollback producer stands in one collection of one sub-project. */
  removalPage: RemovalPage;
  /** The kind of run configure starts when it is not a migration. */
  kind: 'rollback' | 'redrive';
  /** A redrive's report: the run whose dead letters it sent again (its report is written again). */
  redriveOf: string;
  /** DELETE_MISSING's guard: the largest share of a collection the run may delete. */
  maxShare: number;
  /** The plan that started a run: its run lock names it. */
  plan: string;
  /** The producers' final page states (one per id range). */
  produced: PageState[];
  /** A progress-bounded wait on a queue to drain, so far (`looks: 0` before the first look). */
  drain: ProgressWaitState;
  /** A progress-bounded wait on the planboard jobs, so far. */
  jobs: ProgressWaitState;
  /** What a verification step does: start, page through a listing, the source or the ledger, or write verify.json. */
  step: 'start' | 'target' | 'source' | 'ledger' | 'report';
  /** A verification's rates and page size, as its start step resolved them. */
  settings: VerifySettings;
  /** Every registered database of a customer. */
  databases: string[];
  /** Where a verification's paging step stands. */
  position: VerifyPage;
  /** Shortest pause between two looks of a wait. */
  pollSeconds: number;
  /** How long a wait may go without progress. */
  timeoutSeconds: number;
}

/** A wait's state as the state machine carries it between looks. */
const WAIT_STATE_SCHEMA = { type: 'object', required: ['looks'], properties: { looks: { type: 'integer', minimum: 0 } } };

/** ...and its JSON Schema. */
export const EVENT_FIELD_SCHEMAS: Readonly<Record<keyof EventFields, object>> = {
  customer: { type: 'string', pattern: CUSTOMER_KEY.source },
  runId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,80}$' },
  executionArn: { type: 'string', pattern: '^arn:aws[a-z-]*:states:[^:]*:[0-9]*:execution:[^:]+:[^:]+$' },
  targetRps: { type: 'number', exclusiveMinimum: 0 },
  workflowIds: { type: 'array', items: { type: 'string', minLength: 1 } },
  options: { type: 'object' },
  status: { enum: ['SUCCEEDED', 'FAILED'] },
  error: { type: 'object' },
  target: { type: 'object' },
  dryRun: { type: 'boolean' },
  action: { enum: ['plan', 'produce'] },
  database: { type: 'string', pattern: SUBPROJECT_NAME_PATTERN.source },
  collection: { enum: [...COLLECTIONS] },
  collections: { type: 'array', items: { enum: [...COLLECTIONS] } },
  range: { type: 'object', required: ['id', 'afterId', 'lastId'] },
  page: { type: 'object', required: ['done'] },
  removalPage: {
    type: 'object',
    required: ['done'],
    properties: { done: { type: 'boolean' }, after: { type: 'string' }, queued: { type: 'integer', minimum: 0 } },
  },
  kind: { enum: ['rollback', 'redrive'] },
  redriveOf: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,80}$' },
  maxShare: { type: 'number', minimum: 0, maximum: 1 },
  plan: { type: 'string', pattern: CUSTOMER_KEY.source },
  produced: { type: 'array', items: { type: 'object' } },
  drain: WAIT_STATE_SCHEMA,
  jobs: WAIT_STATE_SCHEMA,
  step: { enum: ['start', 'target', 'source', 'ledger', 'report'] },
  settings: {
    type: 'object',
    required: ['targetRps', 'sourceRps', 'sourceBatchSize'],
    properties: {
      targetRps: { type: 'number', exclusiveMinimum: 0 },
      sourceRps: { type: 'number', exclusiveMinimum: 0 },
      sourceBatchSize: { type: 'integer', minimum: 1 },
    },
  },
  databases: { type: 'array', items: { type: 'string', pattern: SUBPROJECT_NAME_PATTERN.source } },
  position: { type: 'object', required: ['done'], properties: { done: { type: 'boolean' }, cursor: { type: 'string' } } },
  pollSeconds: { type: 'number', minimum: 1 },
  timeoutSeconds: { type: 'number', minimum: 0 },
};

/** An event of the given required and optional shared fields. */
export type EventOf<TRequired extends keyof EventFields, TOptional extends keyof EventFields = never> = Pick<EventFields, TRequired> &
  Partial<Pick<EventFields, TOptional>>;

/**
 * A parser for an event made of shared fields: the schema is assembled
 * from {@link EVENT_FIELD_SCHEMAS}, the type from {@link EventFields}.
 * `narrower` adds a handler's own constraint to a shared field (both must
 * hold), e.g. the producer's options must be the run's filled settings.
 *
 * @example
 * // At module scope: the schema is compiled once per instance.
 * const parse = fieldsParser('drain-check', ['customer', 'runId', 'collection', 'drain'], ['database']);
 * const { customer, runId, collection, drain, database } = parse(event); // InvalidInputError naming every bad field
 */
export function fieldsParser<TRequired extends keyof EventFields, TOptional extends keyof EventFields = never>(
  name: string,
  required: readonly TRequired[],
  optional: readonly TOptional[] = [],
  narrower: Partial<Record<TRequired | TOptional, object>> = {},
): (event: unknown) => EventOf<TRequired, TOptional> {
  const fields: (TRequired | TOptional)[] = [...required, ...optional];
  const schemaOf = (field: TRequired | TOptional): object => {
    const narrow = narrower[field];
    return narrow ? { allOf: [EVENT_FIELD_SCHEMAS[field], narrow] } : EVENT_FIELD_SCHEMAS[field];
  };
  return compileParser<EventOf<TRequired, TOptional>>(name, {
    type: 'object',
    required,
    properties: Object.fromEntries(fields.map((field) => [field, schemaOf(field)])),
  });
}
