import { type Collection, DEFAULT_TIME_ZONE, MAX_DOCUMENT_BYTES } from '../../src/domain/index.ts';
import { localToInstant } from './local-time.ts';
import { sha256Hex } from './sha256.ts';
import type { ExpectedOutcome, GeneratedSubproject, SeedAddress, SeedAssignment, SeedDocument, SeedPlanboardSlot, StatusMaps } from './types.ts';

/** Run options that change outcomes. */
export interface ExpectationOptions {
  migrateCompletedProjects: boolean;
  /** Time zone of the legacy DATETIMEs (default Europe/Amsterdam). */
  timeZone?: string;
}

/** The outcome of every record of one sub-project, per collection, keyed by externalRef. */
export type SubprojectOutcomes = Record<Collection, Map<string, ExpectedOutcome>>;

type Map_ = Readonly<Record<string, string>>;

// docs/mapping.md "Statuses".
const PROJECT_STATUS: Map_ = { planned: 'PLANNED', active: 'IN_PROGRESS', completed: 'COMPLETED', done: 'COMPLETED', cancelled: 'CANCELLED' };
const ADDRESS_KIND: Map_ = { residential: 'RESIDENTIAL', business: 'BUSINESS' };
const ADDRESS_STATUS: Map_ = { new: 'NEW', surveyed: 'SURVEYED', ready: 'READY', connected: 'CONNECTED', refused: 'REFUSED' };
const ASSIGNMENT_TYPE: Map_ = { survey: 'SURVEY', civil: 'CIVIL', splice: 'SPLICE', activation: 'ACTIVATION' };
const ASSIGNMENT_STATUS: Map_ = { open: 'OPEN', planned: 'PLANNED', in_progress: 'IN_PROGRESS', done: 'DONE', cancelled: 'CANCELLED' };

// The `email` format of ajv-formats (its "fast" mode), which the target's schema uses.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const POSTCODE = /^[1-9][0-9]{3}[A-Z]{2}$/;
const KVK = /^[0-9]{8}$/;
const ZERO_DATE = '0000-00-00';

const MIGRATED: ExpectedOutcome = 'migrated';
const invalid = (field: string): ExpectedOutcome => ({ code: 'invalid_value', field });

/** Matching ignores case and surrounding spaces; the sub-project's map wins over the defaults. */
function mapStatus(value: string, defaults: Map_, extra: Map_ | undefined): string | undefined {
  const key = value.trim().toLowerCase();
  const overrides = Object.fromEntries(Object.entries(extra ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v]));
  return overrides[key] ?? defaults[key];
}

/** Trimmed text; empty maps to absent. */
function text(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Length as JSON Schema counts it: in code points. */
const length = (value: string): number => [...value].length;

/** A required text: trimmed, 1..max code points. */
const requiredTextOk = (value: string, max: number): boolean => {
  const trimmed = value.trim();
  return trimmed.length > 0 && length(trimmed) <= max;
};

/** An optional text: absent, or at most max code points once trimmed. */
const optionalTextOk = (value: string | null, max: number): boolean => {
  const trimmed = text(value);
  return trimmed === undefined || length(trimmed) <= max;
};

/** A DATE that maps to a value (not NULL, not the zero date). */
const date = (value: string | null): string | undefined => (value && value !== ZERO_DATE ? value : undefined);

/**
 * The child's outcome decided by its parent (docs/mapping.md, check 1), or
 * undefined when the parent was migrated and the child's own checks decide.
 */
function fromParent(parent: ExpectedOutcome | undefined, field: string): ExpectedOutcome | undefined {
  if (parent === undefined) return { code: 'orphan', field };
  if (parent === MIGRATED) return undefined;
  if (typeof parent === 'object' && parent.code === 'completed_project') return { code: 'completed_project' };
  return { code: 'parent_failed', field };
}

/**
 * Applies docs/mapping.md to every record of one sub-project, parents before
 * children, and returns what a first run must report for each. Independent of
 * the engine's code: it is the oracle the engine is tested against.
 */
export function expectSubproject(sub: GeneratedSubproject, options: ExpectationOptions): SubprojectOutcomes {
  const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const maps: StatusMaps = sub.statusMaps;
  const { tables } = sub;
  const ref = (table: string, id: number): string => `${sub.spec.database}:${table}:${id}`;
  const byId = <T extends { id: number }>(rows: T[]): T[] => [...rows].sort((a, b) => a.id - b.id);
  const out: SubprojectOutcomes = {
    projects: new Map(),
    contractors: new Map(),
    connections: new Map(),
    'work-orders': new Map(),
    'work-order-updates': new Map(),
    documents: new Map(),
    'planboard-slots': new Map(),
  };

  const projects = new Map<number, ExpectedOutcome>();
  for (const row of byId(tables.projects)) {
    const status = mapStatus(row.status, PROJECT_STATUS, maps.projects);
    const start = date(row.start_date);
    const end = date(row.end_date);
    let outcome: ExpectedOutcome = MIGRATED;
    if (status === undefined) outcome = { code: 'unmapped_status', field: 'status' };
    else if (status === 'COMPLETED' && !options.migrateCompletedProjects) outcome = { code: 'completed_project' };
    else if (!requiredTextOk(row.code, 32)) outcome = invalid('code');
    else if (!requiredTextOk(row.name, 200)) outcome = invalid('name');
    else if (!optionalTextOk(row.municipality, 100)) outcome = invalid('municipality');
    else if (start && end && end < start) outcome = invalid('endDate');
    projects.set(row.id, outcome);
    out.projects.set(ref('projects', row.id), outcome);
  }

  const contractors = new Map<number, ExpectedOutcome>();
  for (const row of byId(tables.contractors)) {
    const kvk = text(row.kvk_number)?.replace(/\s+/g, '');
    const email = text(row.email);
    let outcome: ExpectedOutcome = MIGRATED;
    if (!requiredTextOk(row.name, 255)) outcome = invalid('name');
    else if (kvk !== undefined && !KVK.test(kvk)) outcome = invalid('kvkNumber');
    else if (email !== undefined && (!EMAIL.test(email) || length(email) > 255)) outcome = invalid('email');
    else if (!optionalTextOk(row.phone, 32)) outcome = invalid('phone');
    contractors.set(row.id, outcome);
    out.contractors.set(ref('contractors', row.id), outcome);
  }

  const addresses = new Map<number, ExpectedOutcome>();
  const taken = new Set<string>();
  const checkAddress = (row: SeedAddress): ExpectedOutcome => {
    const parent = fromParent(projects.get(row.project_id), 'projectId');
    if (parent) return parent;
    if (mapStatus(row.kind, ADDRESS_KIND, undefined) === undefined) return { code: 'unmapped_status', field: 'type' };
    if (mapStatus(row.status, ADDRESS_STATUS, maps.addresses) === undefined) return { code: 'unmapped_status', field: 'status' };
    const postcode = row.postcode.replace(/\s+/g, '').toUpperCase();
    const letter = text(row.house_letter);
    const addition = text(row.house_addition);
    if (!POSTCODE.test(postcode)) return invalid('address.postcode');
    if (!Number.isInteger(row.house_number) || row.house_number < 1) return invalid('address.houseNumber');
    if (letter !== undefined && !/^[A-Za-z]$/.test(letter)) return invalid('address.houseLetter');
    if (addition !== undefined && length(addition) > 10) return invalid('address.houseAddition');
    if (!requiredTextOk(row.street, 255)) return invalid('address.street');
    if (!requiredTextOk(row.city, 100)) return invalid('address.city');
    if (row.latitude !== null && row.longitude !== null) {
      if (!(row.latitude >= 50.7 && row.latitude <= 53.7)) return invalid('location.lat');
      if (!(row.longitude >= 3.2 && row.longitude <= 7.3)) return invalid('location.lon');
    }
    // The target refuses a second address with the same key in one project: the lower id wins.
    const key = [row.project_id, postcode, row.house_number, letter ?? '', addition ?? ''].join('|');
    if (taken.has(key)) return { code: 'duplicate' };
    taken.add(key);
    return MIGRATED;
  };
  for (const row of byId(tables.addresses)) {
    const outcome = checkAddress(row);
    addresses.set(row.id, outcome);
    out.connections.set(ref('addresses', row.id), outcome);
  }

  const workOrders = new Map<number, ExpectedOutcome>();
  const checkWorkOrder = (row: SeedAssignment): ExpectedOutcome => {
    const parent = fromParent(addresses.get(row.address_id), 'connectionId');
    if (parent) return parent;
    if (mapStatus(row.type, ASSIGNMENT_TYPE, undefined) === undefined) return { code: 'unmapped_status', field: 'type' };
    if (!optionalTextOk(row.remarks, 2000)) return invalid('remarks');
    return MIGRATED;
  };
  const assignments = byId(tables.assignments);
  for (const row of assignments) {
    const outcome = checkWorkOrder(row);
    workOrders.set(row.id, outcome);
    out['work-orders'].set(ref('assignments', row.id), outcome);
  }

  const checkUpdate = (row: SeedAssignment): ExpectedOutcome => {
    const workOrder = fromParent(workOrders.get(row.id), 'workOrderId');
    if (workOrder) return workOrder;
    if (row.contractor_id !== null) {
      const contractor = fromParent(contractors.get(row.contractor_id), 'contractorId');
      if (contractor) return contractor;
    }
    const status = mapStatus(row.status, ASSIGNMENT_STATUS, maps.assignments);
    if (status === undefined) return { code: 'unmapped_status', field: 'status' };
    const completedAt = row.completed_at && !row.completed_at.startsWith(ZERO_DATE) ? row.completed_at : undefined;
    if (completedAt !== undefined && localToInstant(completedAt, zone) === undefined) return invalid('completedAt');
    if ((status === 'PLANNED' || status === 'IN_PROGRESS') && row.contractor_id === null) return invalid('contractorId');
    if (status === 'DONE' && completedAt === undefined) return invalid('completedAt');
    return MIGRATED;
  };
  for (const row of assignments) out['work-order-updates'].set(ref('assignments', row.id), checkUpdate(row));

  const checkDocument = (row: SeedDocument): ExpectedOutcome => {
    const parent = fromParent(workOrders.get(row.assignment_id), 'workOrderId');
    if (parent) return parent;
    if (!requiredTextOk(row.mime_type, 100)) return invalid('contentType');
    if (!requiredTextOk(row.file_name, 255)) return invalid('fileName');
    // Decided from size_bytes alone, so an engine never has to read such a row.
    if (row.size_bytes > MAX_DOCUMENT_BYTES) return { code: 'too_large', field: 'content' };
    if (row.size_bytes === 0 || row.content.length === 0) return invalid('content');
    if (row.content.length !== row.size_bytes || sha256Hex(row.content) !== row.sha256) {
      return { code: 'checksum_mismatch', field: 'content' };
    }
    return MIGRATED;
  };
  for (const row of byId(tables.documents)) out.documents.set(ref('documents', row.id), checkDocument(row));

  const checkSlot = (row: SeedPlanboardSlot): ExpectedOutcome => {
    const parent = fromParent(workOrders.get(row.assignment_id), 'workOrderId');
    if (parent) return parent;
    if (!requiredTextOk(row.team, 64)) return invalid('team');
    const start = localToInstant(row.starts_at, zone);
    const end = localToInstant(row.ends_at, zone);
    if (start === undefined) return invalid('start');
    if (end === undefined || end <= start) return invalid('end');
    return MIGRATED;
  };
  for (const row of byId(tables.planboard_slots)) out['planboard-slots'].set(ref('planboard_slots', row.id), checkSlot(row));
  return out;
}
