import { MAX_DOCUMENT_BYTES } from '../../src/domain/index.ts';

/** The collections of docs/fiberconnect-api.md that hold resources (lookup, list, get, delete). */
export const RESOURCE_COLLECTIONS = ['projects', 'connections', 'contractors', 'work-orders', 'documents', 'planboard-slots'] as const;

/** The collections created by POST and changed by PATCH (docs/fiberconnect-api.md, changes); documents are PUT. */
export const PATCHABLE_COLLECTIONS = ['projects', 'connections', 'contractors', 'work-orders', 'planboard-slots'] as const;

/** Fields the server keeps: a patch may repeat their value but never change it (422 `immutable_field`). */
export const IMMUTABLE_FIELDS = ['id', 'externalRef', 'createdAt', 'updatedAt', 'version'] as const;

/** The fields of a work order that its PATCH changes beyond the create fields; stored as null when unset. */
export const WORK_ORDER_STATE_FIELDS = ['status', 'contractorId', 'completedAt'] as const;

/** Prefix of the opaque ids issued per collection (`prj_…`). */
export const ID_PREFIXES = {
  projects: 'prj',
  connections: 'con',
  contractors: 'ctr',
  'work-orders': 'wo',
  documents: 'doc',
  'planboard-slots': 'pbs',
} as const;

/** The only job type (docs/fiberconnect-api.md, jobs). */
export const PLANBOARD_JOB_TYPE = 'PLANBOARD_PREPARATION';

/** Statuses a job can be in; DONE is reached on its own after the configured delay. */
export const JOB_STATUSES = ['PENDING', 'DONE'] as const;

/** Statuses of a workflow. */
export const WORKFLOW_STATUSES = ['ACTIVE', 'INACTIVE'] as const;

/** Workflows every customer starts with: two that mail end users on each new work order, one switched off. */
export const INITIAL_WORKFLOWS = [
  { id: 'wfl_welcome_mail', name: 'Welcome e-mail to the resident', status: 'ACTIVE' },
  { id: 'wfl_planning_notice', name: 'Planning notice to the resident', status: 'ACTIVE' },
  { id: 'wfl_survey_reminder', name: 'Survey reminder', status: 'INACTIVE' },
] as const;

/** Documents over this many bytes get 413 (docs/fiberconnect-api.md, collections), the same limit the engine checks. */
export { MAX_DOCUMENT_BYTES };

/**
 * Fastify's own limit on a document body. Above MAX_DOCUMENT_BYTES on purpose, so that
 * the 413 of the contract comes from the stand-in's rule, with its error body.
 */
export const DOCUMENT_BODY_LIMIT = 32 * 1024 * 1024;

/** Limit on JSON bodies: the largest valid one (a work order with 2000 chars of remarks) is far below. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Page size of list calls when `limit` is absent. */
export const DEFAULT_PAGE_LIMIT = 100;
/** Largest `limit` a list call accepts. */
export const MAX_PAGE_LIMIT = 1000;

/** Length bounds of an `Idempotency-Key` header (docs/fiberconnect-api.md, idempotency). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** Request log entries are written to SQLite in batches: at this interval (ms)… */
export const REQUEST_LOG_FLUSH_MS = 250;
/** …or as soon as this many entries wait. */
export const REQUEST_LOG_FLUSH_SIZE = 2000;

/** Most entries one `GET /admin/requests` returns. */
export const REQUEST_LOG_MAX_ITEMS = 100_000;
