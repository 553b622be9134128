import type { Collection, FailureCode, LegacyTable, StatusMaps } from '../index.ts';

/** What the ledger knows about a parent record in this run or an earlier one. */
export type ParentOutcome = { state: 'migrated'; targetId: string } | { state: 'failed' | 'skipped'; code: FailureCode };

/** Looks a parent up in the ledger; undefined means the ledger has not seen it (treated as `parent_failed`). */
export type ParentLookup = (collection: Collection, legacyId: number) => ParentOutcome | undefined;

/** Run options the mapping reads. */
export interface MappingOptions {
  /** Migrate COMPLETED projects and everything under them; otherwise they are skipped (`completed_project`). */
  migrateCompletedProjects: boolean;
}

/** Everything a mapper needs besides the row: one per sub-project (and ledger view) of a run. */
export interface MappingContext {
  customer: string;
  /** The sub-project's database, the first part of every externalRef. */
  database: string;
  /** Status maps resolved for this sub-project. */
  statusMaps: StatusMaps;
  /** IANA time zone of the legacy DATETIMEs (the customer profile's `timeZone`). */
  timeZone: string;
  options: MappingOptions;
  parent: ParentLookup;
}

/** HTTP methods of the target calls that create or change records. */
export type TargetMethod = 'POST' | 'PATCH' | 'PUT';

/** A collection's target call: the method and a path template whose `{name}` placeholders are filled URL-encoded. */
export interface TargetCall {
  method: TargetMethod;
  path: string;
}

/** One ready-to-send target call: what a mapper produces for a valid row. */
export interface MappedRequest<TBody> {
  /** The record's `<database_name>:<table>:<id>`: ledger key and Idempotency-Key source. */
  externalRef: string;
  method: TargetMethod;
  /** The path with placeholders filled, e.g. `/v1/work-orders/wo-1/documents/fp_x%3Adocuments%3A3`. */
  path: string;
  /** Headers beyond Authorization and Idempotency-Key (documents: Content-Type, X-File-Name, Content-Digest). */
  headers: Readonly<Record<string, string>>;
  body: TBody;
}

/** `POST /v1/projects` body. */
export interface ProjectBody {
  externalRef: string;
  code: string;
  name: string;
  status: string;
  municipality?: string;
  startDate?: string;
  endDate?: string;
}

/** `POST /v1/contractors` body. */
export interface ContractorBody {
  externalRef: string;
  name: string;
  kvkNumber?: string;
  email?: string;
  phone?: string;
}

/** `POST /v1/connections` body. */
export interface ConnectionBody {
  externalRef: string;
  projectId: string;
  address: {
    postcode: string;
    houseNumber: number;
    houseLetter?: string;
    houseAddition?: string;
    street: string;
    city: string;
  };
  location?: { lat: number; lon: number };
  type: string;
  status: string;
}

/** `POST /v1/work-orders` body: always created OPEN without a contractor. */
export interface WorkOrderBody {
  externalRef: string;
  connectionId: string;
  type: string;
  plannedDate?: string;
  remarks?: string;
}

/** `PATCH /v1/work-orders/{id}` body. */
export interface WorkOrderUpdateBody {
  status: string;
  contractorId?: string;
  completedAt?: string;
}

/** `POST /v1/planboard-slots` body. */
export interface PlanboardSlotBody {
  externalRef: string;
  workOrderId: string;
  team: string;
  start: string;
  end: string;
}

/** A reference from a row to its parent record: how the mapper finds the parent's outcome and target id. */
export interface ParentReference {
  /** The target field that carries the parent's id (`projectId`), also the failure's `field`. */
  field: string;
  /** The parent's collection in the ledger. */
  collection: Collection;
  /** The parent's legacy table, joined by the source query to tell whether the row exists. */
  table: LegacyTable;
  /** The legacy column holding the parent's id; `id` means the row itself (the PATCH pass's own work order). NULL means no parent. */
  column: string;
}
