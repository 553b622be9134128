/**
 * Factories of FiberPlan rows as the source query returns them (mysql2,
 * `dateStrings: true`): valid by default, so a test overrides only what it is about.
 */
import { createHash } from 'node:crypto';
import type { AddressRow, AssignmentRow, ContractorRow, DocumentRow, PlanboardSlotRow, ProjectRow } from '../../src/domain/legacy-rows.ts';

export function aProject(overrides: Partial<ProjectRow> = {}): ProjectRow {
  return {
    id: 1,
    code: 'P-001',
    name: 'Glasvezel Noord',
    status: 'active',
    municipality: 'Groningen',
    start_date: '2024-01-15',
    end_date: '2024-12-31',
    updated_at: '2024-05-01 09:30:00',
    ...overrides,
  };
}

export function anAddress(overrides: Partial<AddressRow> = {}): AddressRow {
  return {
    id: 10,
    project_id: 1,
    postcode: '9711AB',
    house_number: 12,
    house_letter: null,
    house_addition: null,
    street: 'Herestraat',
    city: 'Groningen',
    latitude: '53.2193835',
    longitude: '6.5665018',
    kind: 'residential',
    status: 'new',
    updated_at: '2024-05-01 09:30:00',
    project_id_exists: 1,
    ...overrides,
  };
}

export function aContractor(overrides: Partial<ContractorRow> = {}): ContractorRow {
  return {
    id: 5,
    name: 'Graafwerk BV',
    kvk_number: '12345678',
    email: 'planning@graafwerk.example',
    phone: '+31 50 123 4567',
    updated_at: '2024-05-01 09:30:00',
    ...overrides,
  };
}

export function anAssignment(overrides: Partial<AssignmentRow> = {}): AssignmentRow {
  return {
    id: 100,
    address_id: 10,
    contractor_id: 5,
    type: 'civil',
    status: 'planned',
    planned_date: '2024-06-03',
    completed_at: null,
    remarks: 'Sleutel bij de buren',
    updated_at: '2024-05-01 09:30:00',
    address_id_exists: 1,
    contractor_id_exists: 1,
    ...overrides,
  };
}

/** A document whose size and sha256 match `content` unless overridden. */
export function aDocument(overrides: Partial<DocumentRow> = {}): DocumentRow {
  const content = overrides.content === undefined ? Buffer.from('%PDF-1.4 schouwrapport', 'utf8') : overrides.content;
  return {
    id: 7,
    assignment_id: 100,
    file_name: 'schouwrapport.pdf',
    mime_type: 'application/pdf',
    size_bytes: content?.length ?? 0,
    sha256: createHash('sha256')
      .update(content ?? Buffer.alloc(0))
      .digest('hex'),
    content,
    created_at: '2024-05-01 09:30:00',
    assignment_id_exists: 1,
    ...overrides,
  };
}

export function aPlanboardSlot(overrides: Partial<PlanboardSlotRow> = {}): PlanboardSlotRow {
  return {
    id: 3,
    assignment_id: 100,
    team: 'Ploeg A',
    starts_at: '2024-06-03 08:00:00',
    ends_at: '2024-06-03 12:00:00',
    updated_at: '2024-05-01 09:30:00',
    assignment_id_exists: 1,
    ...overrides,
  };
}
