import { SUBPROJECT_LAYOUT } from './constants.ts';
import { dayToDate, randomDay, randomLocalTime } from './calendar.ts';
import { dirtyAddress, dirtyAssignment, dirtyContractor, dirtyDocument, dirtyProject, dirtySlot } from './dirt.ts';
import type { DirtContext } from './dirt.ts';
import { IdAllocator } from './id-allocator.ts';
import { Planter } from './planter.ts';
import { Prng } from './prng.ts';
import { sha256Hex } from './sha256.ts';
import type {
  GeneratedSubproject,
  SeedAddress,
  SeedAssignment,
  SeedContractor,
  SeedDocument,
  SeedOptions,
  SeedPlanboardSlot,
  SeedProject,
  SeedTables,
  StatusMaps,
  SubprojectSpec,
} from './types.ts';
import { CITIES, CONTRACTOR_NAMES, PROJECT_AREAS, REMARKS, STREETS, TEAMS, postcodeLetters } from './vocabulary.ts';
import type { City } from './vocabulary.ts';

/** One entry of {@link SUBPROJECT_LAYOUT}. */
export type SubprojectLayout = (typeof SUBPROJECT_LAYOUT)[number];

/** The SCALE below which projects get fewer addresses: tests that need every defect class but not the volume seed less. */
const SMALL_SCALE = 0.2;
/** The fewest addresses a project gets, however small the SCALE. */
const MIN_ADDRESSES_PER_PROJECT = 10;

/** Rows per unit of SCALE and of a layout's share (a few thousand rows in all at SCALE=1). */
const PER_SCALE = { contractors: 8, projects: 5 } as const;
const ASSIGNMENT_TYPES = ['survey', 'civil', 'splice', 'activation'] as const;
const ASSIGNMENT_STATUSES = ['open', 'planned', 'in_progress', 'done', 'done', 'cancelled'] as const;
const ADDRESS_STATUSES = ['new', 'surveyed', 'ready', 'connected', 'connected', 'refused'] as const;
const PROJECT_STATUSES = ['planned', 'active', 'active', 'active', 'cancelled'] as const;

/**
 * Extra status spellings each sub-project maps in its `settings` (docs/legacy-schema.md):
 * north and south differ, so an engine that mixes them up shows it.
 */
const STATUS_MAPS: Record<string, StatusMaps> = {
  north: { projects: { 'on hold': 'PLANNED' }, assignments: { ingepland: 'PLANNED' } },
  south: { projects: { 'on hold': 'PLANNED' }, addresses: { opgeleverd: 'CONNECTED' } },
};

/** The database name of a customer's sub-project. */
export function subprojectDatabase(customer: string, label: string): string {
  return `fp_${customer}_${label}`;
}

const round7 = (value: number): number => Math.round(value * 1e7) / 1e7;

/**
 * Builds the rows of one sub-project database, table by table (parents first, so
 * children can reference real ids). Pure: the same options give the same rows.
 */
export class SubprojectGenerator {
  public readonly prng: Prng;
  public readonly spec: SubprojectSpec;
  public readonly statusMaps: StatusMaps;
  public readonly tables: SeedTables = {
    projects: [],
    contractors: [],
    addresses: [],
    assignments: [],
    documents: [],
    planboard_slots: [],
  };
  private readonly ids: Record<keyof SeedTables, IdAllocator>;
  private readonly options: SeedOptions;
  private readonly share: number;
  private readonly planter: Planter | undefined;
  private readonly dirt: DirtContext;

  public constructor(options: SeedOptions, layout: SubprojectLayout, plantDefects: boolean) {
    this.options = options;
    this.share = layout.share;
    this.prng = new Prng(options.seed, `${options.customer}:${layout.label}`);
    this.spec = { database: subprojectDatabase(options.customer, layout.label), label: layout.label, active: layout.active };
    this.statusMaps = STATUS_MAPS[layout.label] ?? {};
    this.ids = {
      projects: new IdAllocator(this.prng),
      contractors: new IdAllocator(this.prng),
      addresses: new IdAllocator(this.prng),
      assignments: new IdAllocator(this.prng),
      documents: new IdAllocator(this.prng),
      planboard_slots: new IdAllocator(this.prng),
    };
    this.dirt = {
      prng: this.prng,
      statusMaps: this.statusMaps,
      missing: (table) => this.ids[table].missing(),
      contractorIds: [],
    };
    this.planter = plantDefects ? new Planter(this) : undefined;
  }

  /** Generates every table and returns the sub-project. */
  public generate(): GeneratedSubproject {
    const count = (perScale: number): number => Math.max(1, Math.round(perScale * this.options.scale * this.share));

    for (let i = 0; i < count(PER_SCALE.contractors); i++) {
      this.maybeDirty(this.contractor(i), dirtyContractor);
    }
    this.dirt.contractorIds = this.tables.contractors.map((row) => row.id);
    this.planter?.contractors();

    const projects: { project: SeedProject; city: City }[] = [];
    for (let i = 0; i < count(PER_SCALE.projects); i++) {
      const city = CITIES[(i * 7 + this.prng.int(0, 2)) % CITIES.length] as City;
      projects.push({ project: this.maybeDirty(this.project(city, i), dirtyProject), city });
    }
    this.planter?.projects();

    const addresses: SeedAddress[] = [];
    projects.forEach(({ project, city }, index) => addresses.push(...this.projectAddresses(project.id, city, index)));
    this.planter?.addresses();

    const assignments: SeedAssignment[] = [];
    for (const address of addresses) {
      const n = this.prng.pick([0, 1, 1, 1, 2, 2, 3]);
      for (let k = 0; k < n; k++) {
        const assignment = this.assignment(address.id, ASSIGNMENT_TYPES[k] ?? 'activation');
        assignments.push(this.maybeDirty(assignment, dirtyAssignment));
      }
    }
    this.planter?.assignments();

    for (const assignment of assignments) {
      if (this.prng.chance(0.3)) this.maybeDirty(this.document(assignment.id), dirtyDocument);
      if (this.prng.chance(0.05)) this.maybeDirty(this.document(assignment.id), dirtyDocument);
    }
    this.planter?.documents();

    for (const assignment of assignments) {
      if (this.prng.chance(0.45)) this.maybeDirty(this.slot(assignment.id), dirtySlot);
    }
    this.planter?.slots();

    const settings = Object.entries(this.statusMaps).map(([table, map]) => ({
      name: `status_map.${table}`,
      value: JSON.stringify(map),
    }));
    return { spec: this.spec, settings, statusMaps: this.statusMaps, tables: this.tables, planted: this.planter?.planted ?? [] };
  }

  /** `<database>:<table>:<id>`, the externalRef of a row. */
  public ref(table: keyof SeedTables, id: number): string {
    return `${this.spec.database}:${table}:${id}`;
  }

  /** An id no row of the table has: what an orphan points at. */
  public missing(table: keyof SeedTables): number {
    return this.ids[table].missing();
  }

  /** A clean contractor, added to the table. */
  public contractor(index: number): SeedContractor {
    const base = CONTRACTOR_NAMES[index % CONTRACTOR_NAMES.length] as string;
    const region = `${CITIES[index % CITIES.length]?.name} ${Math.floor(index / CONTRACTOR_NAMES.length)}`;
    const name = index < CONTRACTOR_NAMES.length ? base : `${base} ${region}`;
    const slug = base.toLowerCase().replace(/b\.v\.|[^a-z]+/g, '');
    const row: SeedContractor = {
      id: this.ids.contractors.next(),
      name,
      kvk_number: this.prng.chance(0.9) ? String(this.prng.int(10_000_000, 99_999_999)) : null,
      email: this.prng.chance(0.9) ? `${this.prng.pick(['planning', 'info', 'werkvoorbereiding'])}@${slug}.nl` : null,
      phone: this.prng.chance(0.8) ? `06-${this.prng.int(10_000_000, 99_999_999)}` : null,
      updated_at: randomLocalTime(this.prng),
    };
    this.tables.contractors.push(row);
    return row;
  }

  /** A clean project in a city, added to the table. */
  public project(city: City, index: number, status: string = this.prng.pick(PROJECT_STATUSES)): SeedProject {
    const startDay = randomDay(this.prng);
    const year = dayToDate(startDay).slice(0, 4);
    const row: SeedProject = {
      id: this.ids.projects.next(),
      code: `${city.code}-${year}-${String(index + 1).padStart(3, '0')}`,
      name: `Glasvezel ${city.name} ${this.prng.pick(PROJECT_AREAS)} fase ${this.prng.int(1, 3)}`,
      status,
      municipality: this.prng.chance(0.9) ? city.municipality : null,
      start_date: this.prng.chance(0.9) ? dayToDate(startDay) : null,
      end_date: this.prng.chance(0.8) ? dayToDate(startDay + this.prng.int(90, 400)) : null,
      updated_at: randomLocalTime(this.prng),
    };
    this.tables.projects.push(row);
    return row;
  }

  /** A clean address, added to the table. Numbers increase per street, so no two are the same. */
  public address(projectId: number, city: City, street: string, postcode: string, houseNumber: number): SeedAddress {
    const located = this.prng.chance(0.92);
    const row: SeedAddress = {
      id: this.ids.addresses.next(),
      project_id: projectId,
      postcode,
      house_number: houseNumber,
      house_letter: this.prng.chance(0.05) ? this.prng.pick(['A', 'B', 'c']) : null,
      house_addition: this.prng.chance(0.05) ? this.prng.pick(['1', '2', 'bis', 'rood', 'II']) : null,
      street,
      city: city.name,
      latitude: located ? round7(city.lat + (this.prng.next() - 0.5) * 0.06) : null,
      longitude: located ? round7(city.lon + (this.prng.next() - 0.5) * 0.06) : null,
      kind: this.prng.chance(0.9) ? 'residential' : 'business',
      status: this.prng.pick(ADDRESS_STATUSES),
      updated_at: randomLocalTime(this.prng),
    };
    this.tables.addresses.push(row);
    return row;
  }

  /** A clean assignment, added to the table: planned and later statuses have a contractor, done has its time. */
  public assignment(addressId: number, type: string, status: string = this.prng.pick(ASSIGNMENT_STATUSES)): SeedAssignment {
    const needsContractor = status === 'planned' || status === 'in_progress' || status === 'done';
    const contractorIds = this.dirt.contractorIds;
    const day = randomDay(this.prng);
    const row: SeedAssignment = {
      id: this.ids.assignments.next(),
      address_id: addressId,
      contractor_id: contractorIds.length > 0 && (needsContractor || this.prng.chance(0.5)) ? this.prng.pick(contractorIds) : null,
      type,
      status,
      planned_date: this.prng.chance(0.85) ? dayToDate(day) : null,
      completed_at: status === 'done' ? randomLocalTime(this.prng, day + this.prng.int(0, 3)) : null,
      remarks: this.prng.chance(0.4) ? this.prng.pick(REMARKS) : null,
      updated_at: randomLocalTime(this.prng),
    };
    this.tables.assignments.push(row);
    return row;
  }

  /** A clean document with matching size and SHA-256, added to the table. */
  public document(assignmentId: number, content?: Buffer): SeedDocument {
    const id = this.ids.documents.next();
    const pdf = this.prng.chance(0.5);
    const bytes = content ?? this.documentBytes(pdf, this.prng.int(300, 3000));
    const row: SeedDocument = {
      id,
      assignment_id: assignmentId,
      file_name: pdf ? `schouwrapport-${id}.pdf` : `foto-meterkast-${id}.jpg`,
      mime_type: pdf ? 'application/pdf' : 'image/jpeg',
      size_bytes: bytes.length,
      sha256: sha256Hex(bytes),
      content: bytes,
      created_at: randomLocalTime(this.prng),
    };
    this.tables.documents.push(row);
    return row;
  }

  /** A clean planboard slot of one to four hours on a working day, added to the table. */
  public slot(assignmentId: number): SeedPlanboardSlot {
    const day = randomDay(this.prng);
    const startHour = this.prng.int(7, 14);
    const minute = this.prng.pick([0, 30]);
    const date = dayToDate(day);
    const at = (hour: number): string => `${date} ${String(hour).padStart(2, '0')}:${minute === 0 ? '00' : '30'}:00`;
    const row: SeedPlanboardSlot = {
      id: this.ids.planboard_slots.next(),
      assignment_id: assignmentId,
      team: this.prng.pick(TEAMS),
      starts_at: at(startHour),
      ends_at: at(startHour + this.prng.int(1, 4)),
      updated_at: randomLocalTime(this.prng),
    };
    this.tables.planboard_slots.push(row);
    return row;
  }

  /** Applies one random defect to a fresh row with probability DIRT. */
  private maybeDirty<T>(row: T, dirty: (row: T, context: DirtContext) => void): T {
    if (this.options.dirt > 0 && this.prng.chance(this.options.dirt)) dirty(row, this.dirt);
    return row;
  }

  private projectAddresses(projectId: number, city: City, projectIndex: number): SeedAddress[] {
    // Below SMALL_SCALE a project has fewer addresses (a sub-project keeps at least one project, so the
    // count of projects cannot shrink further); from it up, the same rows as ever for a given seed.
    const total = Math.max(MIN_ADDRESSES_PER_PROJECT, Math.round(this.prng.int(80, 160) * Math.min(1, this.options.scale / SMALL_SCALE)));
    const streets = Math.ceil(total / 25);
    const made: SeedAddress[] = [];
    for (let s = 0; s < streets; s++) {
      // Distinct digits per street within a project: no two streets share a postcode.
      const digits = city.postcodeBase + ((projectIndex * 7 + s) % 89);
      const postcode = `${digits}${postcodeLetters(this.prng.int(0, 440))}`;
      const street = STREETS[(projectIndex * 3 + s) % STREETS.length] as string;
      let number = 0;
      for (let k = 0; k < 25 && made.length < total; k++) {
        number += this.prng.chance(0.7) ? 1 : 2;
        const address = this.address(projectId, city, street, postcode, number);
        if (this.options.dirt > 0 && this.prng.chance(this.options.dirt)) dirtyAddress(address, this.dirt, made);
        made.push(address);
      }
    }
    return made;
  }

  private documentBytes(pdf: boolean, length: number): Buffer {
    const header = Buffer.from(pdf ? '%PDF-1.7\n%FiberPlan\n' : '\xff\xd8\xff\xe0JFIF', 'latin1');
    const bytes = this.prng.fill(Buffer.alloc(Math.max(length, header.length)));
    header.copy(bytes);
    return bytes;
  }
}

/** Generates one sub-project of the layout; defects are planted in the first active one when DIRT > 0. */
export function generateSubproject(options: SeedOptions, layout: SubprojectLayout): GeneratedSubproject {
  const plant = options.dirt > 0 && layout === SUBPROJECT_LAYOUT[0];
  return new SubprojectGenerator(options, layout, plant).generate();
}

/** Generates every sub-project of a customer. */
export function generateCustomer(options: SeedOptions): GeneratedSubproject[] {
  return SUBPROJECT_LAYOUT.map((layout) => generateSubproject(options, layout));
}
