import { AUTUMN_AMBIGUOUS_TIMES, SPRING_GAP_TIMES } from './calendar.ts';
import { sha256Hex } from './sha256.ts';
import type { Prng } from './prng.ts';
import type {
  DefectClass,
  SeedAddress,
  SeedAssignment,
  SeedContractor,
  SeedDocument,
  SeedPlanboardSlot,
  SeedProject,
  SeedTables,
  StatusMaps,
} from './types.ts';
import { UNICODE_TEXTS } from './vocabulary.ts';

/** What a random defect may need besides the row itself. */
export interface DirtContext {
  prng: Prng;
  statusMaps: StatusMaps;
  /** An id that no row of the table has. */
  missing: (table: keyof SeedTables) => number;
  /** Ids of the sub-project's contractors, for statuses that need one. */
  contractorIds: number[];
}

// Each function below gives a row exactly one defect: the record then has one outcome
// that the mapping rules decide, and a child may cascade from it.

/** ` Active`, `DONE `: a status spelled with other case and spaces (migrated). */
export function respell(status: string, prng: Prng): string {
  const cased = prng.chance(0.5) ? status.toUpperCase() : status.charAt(0).toUpperCase() + status.slice(1);
  return prng.chance(0.5) ? ` ${cased}` : `${cased} `;
}

/** A text longer than the target's 2000 characters for remarks. */
export function longRemarks(prng: Prng): string {
  const line = 'Graafwerk vertraagd door kabels en leidingen in de berm; overleg met netbeheerder gepland. ';
  return line.repeat(Math.ceil(2001 / line.length) + prng.int(0, 3)).trim();
}

/** The status-map spelling of a table in this sub-project's settings, if it has one. */
function mappedSpelling(maps: StatusMaps, table: keyof StatusMaps, prng: Prng): string | undefined {
  const spellings = Object.keys(maps[table] ?? {});
  if (spellings.length === 0) return undefined;
  const spelling = prng.pick(spellings);
  // Keys match like the default map: case and surrounding spaces do not count.
  return prng.chance(0.5) ? spelling.replace(/\b\w/g, (c) => c.toUpperCase()) : spelling;
}

/** Gives a project one random defect; returns its class. */
export function dirtyProject(row: SeedProject, { prng, statusMaps }: DirtContext): DefectClass {
  const onHold = mappedSpelling(statusMaps, 'projects', prng);
  const defect = prng.pick<DefectClass>([
    'status-case-spaces',
    'unmapped-project-status',
    'zero-date',
    'completed-project',
    'unicode-text',
    ...(onHold ? (['settings-status-map'] as const) : []),
  ]);
  if (defect === 'status-case-spaces') row.status = respell(row.status, prng);
  if (defect === 'unmapped-project-status') row.status = prng.pick(['paused', 'in progress', 'stopped']);
  if (defect === 'settings-status-map' && onHold) row.status = onHold;
  if (defect === 'zero-date') row.start_date = '0000-00-00';
  if (defect === 'completed-project') row.status = prng.pick(['completed', 'done']);
  if (defect === 'unicode-text') row.name = `${row.name} ${prng.pick(UNICODE_TEXTS)}`;
  return defect;
}

/** Gives a contractor one random defect; returns its class. */
export function dirtyContractor(row: SeedContractor, { prng }: DirtContext): DefectClass {
  const defect = prng.pick<DefectClass>(['kvk-with-spaces', 'kvk-wrong-length', 'invalid-email', 'unicode-text']);
  const kvk = String(prng.int(10_000_000, 99_999_999));
  if (defect === 'kvk-with-spaces') row.kvk_number = `${kvk.slice(0, 4)} ${kvk.slice(4)}`;
  if (defect === 'kvk-wrong-length') row.kvk_number = prng.chance(0.5) ? kvk.slice(1) : `${kvk}0`;
  if (defect === 'invalid-email') row.email = prng.pick(['planning.at.bedrijf.nl', 'info@', 'geen e-mail']);
  if (defect === 'unicode-text') row.name = `${row.name} 🚧 شركة`;
  return defect;
}

/**
 * Gives an address one random defect; returns its class. `earlier` holds the
 * project's addresses made before it: a duplicate copies one of them.
 */
export function dirtyAddress(row: SeedAddress, context: DirtContext, earlier: readonly SeedAddress[]): DefectClass {
  const { prng, statusMaps } = context;
  const mapped = mappedSpelling(statusMaps, 'addresses', prng);
  const defect = prng.pick<DefectClass>([
    'status-case-spaces',
    'unmapped-address-status',
    'unmapped-address-kind',
    'postcode-needs-normalising',
    'invalid-postcode',
    'house-number-zero',
    'lat-lon-swapped',
    'coordinates-outside-nl',
    'orphan-address',
    ...(earlier.length > 0 ? (['duplicate-address'] as const) : []),
    ...(mapped ? (['settings-status-map'] as const) : []),
  ]);
  switch (defect) {
    case 'status-case-spaces':
      row.status = respell(row.status, prng);
      break;
    case 'unmapped-address-status':
      row.status = prng.pick(['verhuisd', 'on hold', 'gesloopt']);
      break;
    case 'unmapped-address-kind':
      row.kind = prng.pick(['industrial', 'agrarisch', 'mixed']);
      break;
    case 'settings-status-map':
      row.status = mapped ?? row.status;
      break;
    case 'postcode-needs-normalising':
      row.postcode = prng.chance(0.5) ? `${row.postcode.slice(0, 4)} ${row.postcode.slice(4).toLowerCase()}` : `${row.postcode} `;
      break;
    case 'invalid-postcode':
      row.postcode = prng.pick([`0${row.postcode.slice(1)}`, row.postcode.slice(0, 5), `${row.postcode.slice(0, 4)}1`]);
      break;
    case 'house-number-zero':
      row.house_number = 0;
      break;
    case 'lat-lon-swapped':
      [row.latitude, row.longitude] = [row.longitude ?? 5.1214, row.latitude ?? 52.0907];
      break;
    case 'coordinates-outside-nl':
      // Paris fails on latitude; Bremen has a Dutch latitude and fails on longitude.
      [row.latitude, row.longitude] = prng.pick([
        [48.8566, 2.3522],
        [53.0793, 8.8017],
      ] as const);
      break;
    case 'orphan-address':
      row.project_id = context.missing('projects');
      break;
    case 'duplicate-address': {
      const original = prng.pick(earlier);
      Object.assign(row, {
        postcode: original.postcode,
        house_number: original.house_number,
        house_letter: original.house_letter,
        house_addition: original.house_addition,
        street: original.street,
        city: original.city,
      });
      break;
    }
  }
  return defect;
}

/** Gives an assignment one random defect; returns its class. */
export function dirtyAssignment(row: SeedAssignment, context: DirtContext): DefectClass {
  const { prng, statusMaps, contractorIds } = context;
  const mapped = mappedSpelling(statusMaps, 'assignments', prng);
  const defect = prng.pick<DefectClass>([
    'status-case-spaces',
    'unmapped-assignment-type',
    'unmapped-assignment-status',
    'zero-date',
    'remarks-too-long',
    'unicode-text',
    'orphan-assignment',
    'orphan-contractor-reference',
    'planned-without-contractor',
    'done-without-completed-at',
    'completed-at-in-dst-gap',
    'ambiguous-autumn-time',
    ...(mapped ? (['settings-status-map'] as const) : []),
  ]);
  const contractor = (): number | null => row.contractor_id ?? (contractorIds.length > 0 ? prng.pick(contractorIds) : null);
  switch (defect) {
    case 'status-case-spaces':
      row.status = respell(row.status, prng);
      break;
    case 'unmapped-assignment-type':
      row.type = prng.pick(['inspection', 'repair', 'las']);
      break;
    case 'unmapped-assignment-status':
      row.status = prng.pick(['waiting', 'on hold', 'in progress']);
      break;
    case 'settings-status-map':
      // The mapped spelling means PLANNED, which needs a contractor.
      Object.assign(row, { status: mapped, contractor_id: contractor(), completed_at: null });
      break;
    case 'zero-date':
      row.planned_date = '0000-00-00';
      break;
    case 'remarks-too-long':
      row.remarks = longRemarks(prng);
      break;
    case 'unicode-text':
      row.remarks = prng.pick(UNICODE_TEXTS);
      break;
    case 'orphan-assignment':
      row.address_id = context.missing('addresses');
      break;
    case 'orphan-contractor-reference':
      row.contractor_id = context.missing('contractors');
      break;
    case 'planned-without-contractor':
      Object.assign(row, { status: 'planned', contractor_id: null, completed_at: null });
      break;
    case 'done-without-completed-at':
      Object.assign(row, { status: 'done', contractor_id: contractor(), completed_at: null });
      break;
    case 'completed-at-in-dst-gap':
      Object.assign(row, { status: 'done', contractor_id: contractor(), completed_at: prng.pick(SPRING_GAP_TIMES) });
      break;
    case 'ambiguous-autumn-time':
      Object.assign(row, { status: 'done', contractor_id: contractor(), completed_at: prng.pick(AUTUMN_AMBIGUOUS_TIMES) });
      break;
  }
  return defect;
}

/** Gives a document one random defect; returns its class. Never an oversized one: that is planted once. */
export function dirtyDocument(row: SeedDocument, context: DirtContext): DefectClass {
  const { prng } = context;
  const defect = prng.pick<DefectClass>(['document-sha256-mismatch', 'document-size-mismatch', 'document-empty', 'orphan-document']);
  if (defect === 'document-sha256-mismatch') row.sha256 = sha256Hex(Buffer.from(`tampered:${row.id}`));
  if (defect === 'document-size-mismatch') row.size_bytes += prng.int(1, 100);
  if (defect === 'document-empty') Object.assign(row, { content: Buffer.alloc(0), size_bytes: 0, sha256: sha256Hex(Buffer.alloc(0)) });
  if (defect === 'orphan-document') row.assignment_id = context.missing('assignments');
  return defect;
}

/** Gives a planboard slot one random defect; returns its class. */
export function dirtySlot(row: SeedPlanboardSlot, context: DirtContext): DefectClass {
  const { prng } = context;
  const defect = prng.pick<DefectClass>(['slot-ends-before-start', 'slot-start-in-dst-gap', 'ambiguous-autumn-time', 'orphan-slot']);
  if (defect === 'slot-ends-before-start') [row.starts_at, row.ends_at] = [row.ends_at, row.starts_at];
  if (defect === 'slot-start-in-dst-gap' || defect === 'ambiguous-autumn-time') {
    const start = prng.pick(defect === 'slot-start-in-dst-gap' ? SPRING_GAP_TIMES : AUTUMN_AMBIGUOUS_TIMES);
    Object.assign(row, { starts_at: start, ends_at: `${start.slice(0, 10)} 0${prng.int(4, 9)}:00:00` });
  }
  if (defect === 'orphan-slot') row.assignment_id = context.missing('assignments');
  return defect;
}
