/**
 * Rows of a FiberPlan sub-project database (docs/legacy-schema.md) as mysql2 returns
 * them with `dateStrings: true`: DATE as `YYYY-MM-DD`, DATETIME as
 * `YYYY-MM-DD HH:MM:SS`, DECIMAL as a string, the zero date as `0000-00-00`.
 *
 * Each `<column>_exists` flag comes from the source query's LEFT JOIN on the
 * parent table: 1 when the parent row exists in the legacy database.
 */

/** 1/0 from `(p.id IS NOT NULL)`; a boolean once a row has been through JSON by other means. */
export type ExistsFlag = number | boolean;

/** Legacy tables the engine reads. */
export type LegacyTable = 'projects' | 'addresses' | 'contractors' | 'assignments' | 'documents' | 'planboard_slots';

/** `projects`: one rollout project. */
export interface ProjectRow {
  id: number;
  code: string;
  name: string;
  status: string;
  municipality: string | null;
  start_date: string | null;
  end_date: string | null;
  updated_at: string;
}

/** `addresses`: one address to connect, under a project. */
export interface AddressRow {
  id: number;
  project_id: number;
  postcode: string;
  house_number: number;
  house_letter: string | null;
  house_addition: string | null;
  street: string;
  city: string;
  latitude: string | null;
  longitude: string | null;
  kind: string;
  status: string;
  updated_at: string;
  project_id_exists: ExistsFlag;
}

/** `contractors`: a company that carries out assignments. */
export interface ContractorRow {
  id: number;
  name: string;
  kvk_number: string | null;
  email: string | null;
  phone: string | null;
  updated_at: string;
}

/** `assignments`: one piece of work on an address (a work order in FiberConnect). */
export interface AssignmentRow {
  id: number;
  address_id: number;
  contractor_id: number | null;
  type: string;
  status: string;
  planned_date: string | null;
  completed_at: string | null;
  remarks: string | null;
  updated_at: string;
  /** Selected by the `work-orders` query, whose parent is the address. */
  address_id_exists?: ExistsFlag;
  /** Selected by the `work-order-updates` query, whose parent is the contractor. */
  contractor_id_exists?: ExistsFlag;
}

/**
 * `documents`: a file attached to an assignment. `content` is null when the
 * page did not read it: `size_bytes` or its real length is over the target's
 * limit, or its read failed (`content_error` says which).
 */
export interface DocumentRow {
  id: number;
  assignment_id: number;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer | null;
  created_at: string;
  /** The bytes' real length (`LENGTH(content)`), read without the bytes; absent in messages queued before it was read. */
  content_length?: number | null;
  /** Why the bytes were not read (over the limit, or the read failed): the record fails `too_large`. */
  content_error?: string;
  assignment_id_exists: ExistsFlag;
}

/** `planboard_slots`: a team's time slot for an assignment. */
export interface PlanboardSlotRow {
  id: number;
  assignment_id: number;
  team: string;
  starts_at: string;
  ends_at: string;
  updated_at: string;
  assignment_id_exists: ExistsFlag;
}
