import { type FieldIssue, validateBody } from '../../src/domain/index.ts';
import { WORK_ORDER_STATE_FIELDS } from './constants.ts';
import { ApiError } from './errors.ts';
import type { StandinStore } from './store.ts';
import type { PatchableCollection } from './types.ts';

/** The columns that index a record: its parent, its assigned contractor, its address within the project. */
export interface RecordLinks {
  parentId: string | null;
  contractorId: string | null;
  addressKey: string | null;
}

/**
 * The rules of docs/fiberconnect-api.md (collections) for one collection, applied alike to a create body and
 * to a patched record (its fields without id, createdAt, updatedAt and version).
 */
export interface CollectionRules {
  /** 422 issues: the schema first; only a record that passes it meets the cross-field and reference rules. */
  issues(store: StandinStore, customer: string, fields: Record<string, unknown>): FieldIssue[];
  /**
   * 409 conflicts other than `duplicate_external_ref`; `selfId` is the record being changed (null: a create).
   * @throws ApiError 409 `duplicate_address` or `planboard_not_ready`.
   */
  conflicts(store: StandinStore, customer: string, fields: Record<string, unknown>, selfId: string | null): void;
  links(fields: Record<string, unknown>): RecordLinks;
}

const NO_LINKS: RecordLinks = Object.freeze({ parentId: null, contractorId: null, addressKey: null });

/** A 409 with a code of its own (`has_children`, `duplicate_address`, `planboard_not_ready`). */
export function conflict(code: string, message: string, existingId?: string): ApiError {
  return new ApiError(409, code, message, existingId ? { existingId } : {});
}

/** An issue naming a reference that does not exist for the customer. */
function missingReference(
  store: StandinStore,
  customer: string,
  collection: 'projects' | 'connections' | 'contractors' | 'work-orders',
  field: string,
  id: unknown,
  what: string,
): FieldIssue[] {
  return typeof id === 'string' && !store.getResource(customer, collection, id) ? [{ field, issue: `no such ${what}` }] : [];
}

/** Normalised postcode + number + letter + addition: one connection per key in a project. */
function addressKeyOf(fields: Record<string, unknown>): string {
  const { postcode, houseNumber, houseLetter, houseAddition } = fields.address as Record<string, unknown>;
  return JSON.stringify([postcode, houseNumber, houseLetter ?? null, houseAddition ?? null]);
}

const projects: CollectionRules = {
  issues(_store, _customer, fields) {
    const issues = validateBody('projects', fields);
    if (issues.length > 0) return issues;
    const { startDate, endDate } = fields as { startDate?: string; endDate?: string };
    // YYYY-MM-DD strings compare like the dates they name.
    return startDate && endDate && endDate < startDate ? [{ field: 'endDate', issue: 'must not be before startDate' }] : [];
  },
  conflicts() {},
  links: () => NO_LINKS,
};

const contractors: CollectionRules = {
  issues: (_store, _customer, fields) => validateBody('contractors', fields),
  conflicts() {},
  links: () => NO_LINKS,
};

/**
 * Addresses compare exactly as sent (the schema already fixes the postcode's form),
 * the same rule the engine applies before calling.
 */
const connections: CollectionRules = {
  issues(store, customer, fields) {
    const issues = validateBody('connections', fields);
    return issues.length > 0 ? issues : missingReference(store, customer, 'projects', 'projectId', fields.projectId, 'project');
  },
  conflicts(store, _customer, fields, selfId) {
    const holder = store.findAddress(fields.projectId as string, addressKeyOf(fields));
    if (holder !== undefined && holder !== selfId) {
      throw conflict('duplicate_address', 'this address already has a connection in the project', holder);
    }
  },
  links: (fields) => ({ parentId: fields.projectId as string, contractorId: null, addressKey: addressKeyOf(fields) }),
};

/**
 * A work order's create fields follow the create schema, its state (status, contractor,
 * completion; null when unset) the update schema: PLANNED and IN_PROGRESS need a
 * contractor, DONE needs completedAt.
 */
const workOrders: CollectionRules = {
  issues(store, customer, fields) {
    const createFields: Record<string, unknown> = { ...fields };
    const state: Record<string, unknown> = {};
    for (const name of WORK_ORDER_STATE_FIELDS) {
      delete createFields[name];
      if (fields[name] !== null && fields[name] !== undefined) state[name] = fields[name];
    }
    const issues = validateBody('work-orders', createFields);
    if (state.status === undefined) issues.push({ field: 'status', issue: "must have required property 'status'" });
    else issues.push(...validateBody('work-order-updates', state));
    if (issues.length > 0) return issues;
    return [
      ...missingReference(store, customer, 'connections', 'connectionId', fields.connectionId, 'connection'),
      ...missingReference(store, customer, 'contractors', 'contractorId', state.contractorId, 'contractor'),
    ];
  },
  conflicts() {},
  links: (fields) => ({
    parentId: fields.connectionId as string,
    contractorId: (fields.contractorId as string | null | undefined) ?? null,
    addressKey: null,
  }),
};

/** A slot ends after it starts, and only once its work order's preparation job is DONE. */
const planboardSlots: CollectionRules = {
  issues(store, customer, fields) {
    const issues = validateBody('planboard-slots', fields);
    if (issues.length > 0) return issues;
    if (Date.parse(fields.end as string) <= Date.parse(fields.start as string)) return [{ field: 'end', issue: 'must be after start' }];
    return missingReference(store, customer, 'work-orders', 'workOrderId', fields.workOrderId, 'work order');
  },
  conflicts(store, _customer, fields) {
    const workOrderId = fields.workOrderId as string;
    const job = store.jobOfWorkOrder(workOrderId, Date.now());
    if (job?.status === 'PENDING') {
      throw conflict('planboard_not_ready', `the planboard of work order ${workOrderId} is still being prepared (job ${job.id})`);
    }
  },
  links: (fields) => ({ parentId: fields.workOrderId as string, contractorId: null, addressKey: null }),
};

/** The rules of every collection created by POST and changed by PATCH. */
export const RULES: Readonly<Record<PatchableCollection, CollectionRules>> = {
  projects,
  contractors,
  connections,
  'work-orders': workOrders,
  'planboard-slots': planboardSlots,
};
