// Record factories for the seed's expectation tests: clean rows that every rule lets through,
// so a test changes exactly the one field it is about.
import { sha256Hex } from '../../tooling/seed/sha256.ts';
import type {
  GeneratedSubproject,
  SeedAddress,
  SeedAssignment,
  SeedContractor,
  SeedDocument,
  SeedPlanboardSlot,
  SeedProject,
  SeedTables,
  StatusMaps,
} from '../../tooling/seed/types.ts';

export const DB = 'fp_test_north';

/** `<DB>:<table>:<id>`. */
export const ref = (table: keyof SeedTables, id: number): string => `${DB}:${table}:${id}`;

export const project = (fields: Partial<SeedProject> = {}): SeedProject => ({
  id: 1,
  code: 'UTR-2024-001',
  name: 'Glasvezel Utrecht Oost fase 1',
  status: 'active',
  municipality: 'Utrecht',
  start_date: '2024-01-15',
  end_date: '2024-12-20',
  updated_at: '2024-01-10 09:00:00',
  ...fields,
});

export const contractor = (fields: Partial<SeedContractor> = {}): SeedContractor => ({
  id: 1,
  name: 'Bakker Kabelwerken',
  kvk_number: '30123456',
  email: 'planning@bakker.nl',
  phone: '06-12345678',
  updated_at: '2024-01-10 09:00:00',
  ...fields,
});

export const address = (fields: Partial<SeedAddress> = {}): SeedAddress => ({
  id: 1,
  project_id: 1,
  postcode: '3511AB',
  house_number: 1,
  house_letter: null,
  house_addition: null,
  street: 'Kerkstraat',
  city: 'Utrecht',
  latitude: 52.09,
  longitude: 5.12,
  kind: 'residential',
  status: 'ready',
  updated_at: '2024-01-10 09:00:00',
  ...fields,
});

export const assignment = (fields: Partial<SeedAssignment> = {}): SeedAssignment => ({
  id: 1,
  address_id: 1,
  contractor_id: 1,
  type: 'survey',
  status: 'in_progress',
  planned_date: '2024-03-01',
  completed_at: null,
  remarks: null,
  updated_at: '2024-01-10 09:00:00',
  ...fields,
});

export const document = (fields: Partial<SeedDocument> = {}): SeedDocument => {
  const content = fields.content ?? Buffer.from('%PDF-1.7 schouwrapport');
  return {
    id: 1,
    assignment_id: 1,
    file_name: 'schouwrapport.pdf',
    mime_type: 'application/pdf',
    size_bytes: content.length,
    sha256: sha256Hex(content),
    content,
    created_at: '2024-03-01 10:00:00',
    ...fields,
  };
};

export const slot = (fields: Partial<SeedPlanboardSlot> = {}): SeedPlanboardSlot => ({
  id: 1,
  assignment_id: 1,
  team: 'Lasteam A',
  starts_at: '2024-03-04 08:00:00',
  ends_at: '2024-03-04 12:00:00',
  updated_at: '2024-01-10 09:00:00',
  ...fields,
});

/**
 * A sub-project with one clean row per table (all ids 1) unless a table is given.
 */
export function subproject(tables: Partial<SeedTables> = {}, statusMaps: StatusMaps = {}): GeneratedSubproject {
  return {
    spec: { database: DB, label: 'north', active: true },
    settings: [],
    statusMaps,
    planted: [],
    tables: {
      projects: [project()],
      contractors: [contractor()],
      addresses: [address()],
      assignments: [assignment()],
      documents: [document()],
      planboard_slots: [slot()],
      ...tables,
    },
  };
}
