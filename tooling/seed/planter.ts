import type { Collection } from '../../src/domain/index.ts';
import { AUTUMN_AMBIGUOUS_TIMES, SPRING_GAP_TIMES } from './calendar.ts';
import { OVERSIZED_DOCUMENT_BYTES } from './constants.ts';
import { longRemarks } from './dirt.ts';
import type { Prng } from './prng.ts';
import { sha256Hex } from './sha256.ts';
import type {
  DefectClass,
  ExpectedOutcome,
  PlantedDefect,
  SeedAddress,
  SeedAssignment,
  SeedContractor,
  SeedDocument,
  SeedPlanboardSlot,
  SeedProject,
  SeedTables,
} from './types.ts';
import { CITIES, UNICODE_TEXTS } from './vocabulary.ts';
import type { City } from './vocabulary.ts';

const SPRING_GAP = SPRING_GAP_TIMES[1] as string;
const AUTUMN_HOUR = AUTUMN_AMBIGUOUS_TIMES[1] as string;

/** What the planter needs of the sub-project's generator: clean rows to plant defects in (declared here, so the planter does not depend on the generator that calls it). */
export interface RowFactory {
  readonly prng: Prng;
  ref(table: keyof SeedTables, id: number): string;
  missing(table: keyof SeedTables): number;
  contractor(index: number): SeedContractor;
  project(city: City, index: number, status?: string): SeedProject;
  address(projectId: number, city: City, street: string, postcode: string, houseNumber: number): SeedAddress;
  assignment(addressId: number, type: string, status?: string): SeedAssignment;
  document(assignmentId: number, content?: Buffer): SeedDocument;
  slot(assignmentId: number): SeedPlanboardSlot;
}

/**
 * Plants one record of every defect class (docs/legacy-schema.md, the dirty data to expect) with the outcome
 * docs/mapping.md gives it. Each planted record hangs under clean parents made
 * for the purpose, so it has exactly one defect; the `*-cascade` entries are
 * the children of a failed or skipped parent. Called table by table by the
 * generator, after that table's ordinary rows.
 */
export class Planter {
  /** Every planted record with its expected outcome (without `migrateCompletedProjects`). */
  public readonly planted: PlantedDefect[] = [];
  private readonly gen: RowFactory;
  private readonly city: City = CITIES[0] as City;
  private cleanContractor!: SeedContractor;
  private badContractor!: SeedContractor;
  private cleanProject!: SeedProject;
  private completedProject!: SeedProject;
  private cleanAddress!: SeedAddress;
  private badAddress!: SeedAddress;
  private completedAddress!: SeedAddress;
  private cleanAssignment!: SeedAssignment;
  private badTypeAssignment!: SeedAssignment;
  private completedAssignment!: SeedAssignment;
  private nextHouseNumber = 1;

  public constructor(gen: RowFactory) {
    this.gen = gen;
  }

  /** Contractors: KvK spacing and length, e-mail, Unicode name. */
  public contractors(): void {
    this.cleanContractor = this.gen.contractor(0);
    Object.assign(this.cleanContractor, { kvk_number: '30123456', email: 'planning@vanderveen.nl' });
    this.plant('kvk-with-spaces', 'contractors', this.contractor({ kvk_number: '3012 3457' }), 'migrated');
    this.plant('kvk-wrong-length', 'contractors', this.contractor({ kvk_number: '3012345' }), invalid('kvkNumber'));
    this.badContractor = this.contractor({ email: 'planning.at.vanderveen.nl' });
    this.plant('invalid-email', 'contractors', this.badContractor, invalid('email'));
    this.plant('unicode-text', 'contractors', this.contractor({ name: 'Özdemir Glasvezel 🚧 شركة' }), 'migrated');
  }

  /** Projects: status spellings, the settings map, a zero date, Unicode, a completed project. */
  public projects(): void {
    this.cleanProject = this.project({});
    this.plant('status-case-spaces', 'projects', this.project({ status: 'Active' }), 'migrated');
    this.plant('unmapped-project-status', 'projects', this.project({ status: 'paused' }), unmapped('status'));
    this.plant('settings-status-map', 'projects', this.project({ status: 'on hold' }), 'migrated');
    this.plant('zero-date', 'projects', this.project({ start_date: '0000-00-00' }), 'migrated');
    this.plant('unicode-text', 'projects', this.project({ name: 'Glasvezel Rotterdam 🚀 مشروع שלום' }), 'migrated');
    this.completedProject = this.project({ status: 'completed' });
    this.plant('completed-project', 'projects', this.completedProject, { code: 'completed_project' });
  }

  /** Addresses: statuses, kinds, postcodes, house number, coordinates, an orphan, a duplicate pair. */
  public addresses(): void {
    this.cleanAddress = this.address({});
    this.plant('status-case-spaces', 'connections', this.address({ status: ' Surveyed' }), 'migrated');
    this.plant('unmapped-address-status', 'connections', this.address({ status: 'verhuisd' }), unmapped('status'));
    this.plant('unmapped-address-kind', 'connections', this.address({ kind: 'industrial' }), unmapped('type'));
    const digits = `${this.city.postcodeBase + 88}`;
    this.plant('postcode-needs-normalising', 'connections', this.address({ postcode: `${digits} ab` }), 'migrated');
    this.plant('postcode-needs-normalising', 'connections', this.address({ postcode: `${digits}AC ` }), 'migrated');
    this.plant('invalid-postcode', 'connections', this.address({ postcode: `0${digits.slice(1)}AB` }), invalid('address.postcode'));
    this.badAddress = this.address({ house_number: 0 });
    this.plant('house-number-zero', 'connections', this.badAddress, invalid('address.houseNumber'));
    this.plant('lat-lon-swapped', 'connections', this.address({ latitude: 5.1214, longitude: 52.0907 }), invalid('location.lat'));
    this.plant('coordinates-outside-nl', 'connections', this.address({ latitude: 53.0793, longitude: 8.8017 }), invalid('location.lon'));
    this.plant('orphan-address', 'connections', this.address({ project_id: this.gen.missing('projects') }), orphan('projectId'));
    const first = this.address({});
    const second = this.address({ house_number: first.house_number });
    this.plant('duplicate-address', 'connections', first, 'migrated');
    this.plant('duplicate-address', 'connections', second, { code: 'duplicate' });
    this.completedAddress = this.address({ project_id: this.completedProject.id });
    this.plant('completed-project-cascade', 'connections', this.completedAddress, { code: 'completed_project' });
  }

  /** Assignments: types, statuses, PATCH rules, dates, remarks, orphans and cascades. */
  public assignments(): void {
    const done = { status: 'done', completed_at: '2024-05-14 15:10:00' };
    this.cleanAssignment = this.assignment({});
    this.plant('status-case-spaces', 'work-order-updates', this.assignment({ ...done, status: ' done' }), 'migrated');
    this.badTypeAssignment = this.assignment({ type: 'inspection' });
    this.plant('unmapped-assignment-type', 'work-orders', this.badTypeAssignment, unmapped('type'));
    this.plant('parent-failed-cascade', 'work-order-updates', this.badTypeAssignment, parentFailed('workOrderId'));
    this.plant('unmapped-assignment-status', 'work-order-updates', this.assignment({ status: 'waiting' }), unmapped('status'));
    this.plant('settings-status-map', 'work-order-updates', this.assignment({ status: 'ingepland' }), 'migrated');
    this.plant('zero-date', 'work-orders', this.assignment({ planned_date: '0000-00-00' }), 'migrated');
    this.plant('remarks-too-long', 'work-orders', this.assignment({ remarks: longRemarks(this.gen.prng) }), invalid('remarks'));
    this.plant('unicode-text', 'work-orders', this.assignment({ remarks: UNICODE_TEXTS[0] }), 'migrated');
    this.plant('orphan-assignment', 'work-orders', this.assignment({ address_id: this.gen.missing('addresses') }), orphan('connectionId'));
    const missingContractor = this.assignment({ contractor_id: this.gen.missing('contractors') });
    this.plant('orphan-contractor-reference', 'work-order-updates', missingContractor, orphan('contractorId'));
    this.plant('completed-at-in-dst-gap', 'work-order-updates', this.assignment({ ...done, completed_at: SPRING_GAP }), invalid('completedAt'));
    this.plant('ambiguous-autumn-time', 'work-order-updates', this.assignment({ ...done, completed_at: AUTUMN_HOUR }), 'migrated');
    const plannedAlone = this.assignment({ status: 'planned', contractor_id: null });
    this.plant('planned-without-contractor', 'work-order-updates', plannedAlone, invalid('contractorId'));
    this.plant('done-without-completed-at', 'work-order-updates', this.assignment({ ...done, completed_at: null }), invalid('completedAt'));
    const underBadAddress = this.assignment({ address_id: this.badAddress.id });
    this.plant('parent-failed-cascade', 'work-orders', underBadAddress, parentFailed('connectionId'));
    this.plant('parent-failed-cascade', 'work-order-updates', underBadAddress, parentFailed('workOrderId'));
    const withBadContractor = this.assignment({ contractor_id: this.badContractor.id });
    this.plant('parent-failed-cascade', 'work-order-updates', withBadContractor, parentFailed('contractorId'));
    this.completedAssignment = this.assignment({ address_id: this.completedAddress.id });
    this.plant('completed-project-cascade', 'work-orders', this.completedAssignment, { code: 'completed_project' });
    this.plant('completed-project-cascade', 'work-order-updates', this.completedAssignment, { code: 'completed_project' });
  }

  /** Documents: checksum, size, empty, over the limit, an orphan and cascades. */
  public documents(): void {
    const parent = this.cleanAssignment.id;
    const sha = this.gen.document(parent);
    sha.sha256 = sha256Hex(Buffer.from('not these bytes'));
    this.plant('document-sha256-mismatch', 'documents', sha, { code: 'checksum_mismatch', field: 'content' });
    const size = this.gen.document(parent);
    size.size_bytes += 17;
    this.plant('document-size-mismatch', 'documents', size, { code: 'checksum_mismatch', field: 'content' });
    this.plant('document-empty', 'documents', this.gen.document(parent, Buffer.alloc(0)), invalid('content'));
    // A repeated pattern rather than PRNG bytes: 25 MiB of it costs nothing to make.
    const huge = this.gen.document(parent, Buffer.alloc(OVERSIZED_DOCUMENT_BYTES, 'FiberPlan oversized scan '));
    Object.assign(huge, { file_name: `bouwtekening-${huge.id}.pdf`, mime_type: 'application/pdf' });
    this.plant('document-too-large', 'documents', huge, { code: 'too_large', field: 'content' });
    this.plant('orphan-document', 'documents', this.gen.document(this.gen.missing('assignments')), orphan('workOrderId'));
    this.plant('parent-failed-cascade', 'documents', this.gen.document(this.badTypeAssignment.id), parentFailed('workOrderId'));
    this.plant('completed-project-cascade', 'documents', this.gen.document(this.completedAssignment.id), { code: 'completed_project' });
  }

  /** Planboard slots: end before start, the DST gap and the autumn hour, an orphan and a cascade. */
  public slots(): void {
    const parent = this.cleanAssignment.id;
    const reversed = this.gen.slot(parent);
    [reversed.starts_at, reversed.ends_at] = [reversed.ends_at, reversed.starts_at];
    this.plant('slot-ends-before-start', 'planboard-slots', reversed, invalid('end'));
    const gap = Object.assign(this.gen.slot(parent), { starts_at: SPRING_GAP, ends_at: `${SPRING_GAP.slice(0, 10)} 06:00:00` });
    this.plant('slot-start-in-dst-gap', 'planboard-slots', gap, invalid('start'));
    const autumn = Object.assign(this.gen.slot(parent), { starts_at: AUTUMN_HOUR, ends_at: `${AUTUMN_HOUR.slice(0, 10)} 04:00:00` });
    this.plant('ambiguous-autumn-time', 'planboard-slots', autumn, 'migrated');
    this.plant('orphan-slot', 'planboard-slots', this.gen.slot(this.gen.missing('assignments')), orphan('workOrderId'));
    this.plant('completed-project-cascade', 'planboard-slots', this.gen.slot(this.completedAssignment.id), { code: 'completed_project' });
  }

  private plant(defect: DefectClass, collection: Collection, row: { id: number }, expect: ExpectedOutcome): void {
    const table = TABLE_OF[collection];
    this.planted.push({ defect, collection, externalRef: this.gen.ref(table, row.id), expect });
  }

  private contractor(fields: Partial<SeedContractor>): SeedContractor {
    const row = this.gen.contractor(0);
    return Object.assign(row, { kvk_number: '30123458', email: 'info@vanderveen.nl' }, fields);
  }

  private project(fields: Partial<SeedProject>): SeedProject {
    return Object.assign(this.gen.project(this.city, 900 + this.planted.length, 'active'), fields);
  }

  /** A clean address under the clean project, on its own house number unless told otherwise. */
  private address(fields: Partial<SeedAddress>): SeedAddress {
    const postcode = `${this.city.postcodeBase + 88}AB`;
    const row = this.gen.address(this.cleanProject.id, this.city, 'Stationsplein', postcode, this.nextHouseNumber++);
    return Object.assign(
      row,
      { house_letter: null, house_addition: null, kind: 'residential', status: 'ready', latitude: this.city.lat, longitude: this.city.lon },
      fields,
    );
  }

  /** A clean assignment under the clean address, in progress with the clean contractor unless told otherwise. */
  private assignment(fields: Partial<SeedAssignment>): SeedAssignment {
    const row = this.gen.assignment(this.cleanAddress.id, 'survey', 'in_progress');
    return Object.assign(row, { contractor_id: this.cleanContractor.id, completed_at: null, remarks: null }, fields);
  }
}

const TABLE_OF: Record<Collection, keyof SeedTables> = {
  projects: 'projects',
  contractors: 'contractors',
  connections: 'addresses',
  'work-orders': 'assignments',
  'work-order-updates': 'assignments',
  documents: 'documents',
  'planboard-slots': 'planboard_slots',
};

const invalid = (field: string): ExpectedOutcome => ({ code: 'invalid_value', field });
const unmapped = (field: string): ExpectedOutcome => ({ code: 'unmapped_status', field });
const orphan = (field: string): ExpectedOutcome => ({ code: 'orphan', field });
const parentFailed = (field: string): ExpectedOutcome => ({ code: 'parent_failed', field });
