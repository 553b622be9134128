/*
 * The tables of a FiberPlan sub-project database and their columns: what the
 * source queries select and the seed writes.
 */

/** Tables of every sub-project database (docs/legacy-schema.md), parents before children. */
export const SUBPROJECT_TABLES = ['settings', 'projects', 'contractors', 'addresses', 'assignments', 'documents', 'planboard_slots'] as const;

/** Columns of each sub-project table, in DDL order: the seed writes them in this order, the source queries select them. */
export const TABLE_COLUMNS = {
  settings: ['name', 'value'],
  projects: ['id', 'code', 'name', 'status', 'municipality', 'start_date', 'end_date', 'updated_at'],
  contractors: ['id', 'name', 'kvk_number', 'email', 'phone', 'updated_at'],
  addresses: [
    'id',
    'project_id',
    'postcode',
    'house_number',
    'house_letter',
    'house_addition',
    'street',
    'city',
    'latitude',
    'longitude',
    'kind',
    'status',
    'updated_at',
  ],
  assignments: ['id', 'address_id', 'contractor_id', 'type', 'status', 'planned_date', 'completed_at', 'remarks', 'updated_at'],
  documents: ['id', 'assignment_id', 'file_name', 'mime_type', 'size_bytes', 'sha256', 'content', 'created_at'],
  planboard_slots: ['id', 'assignment_id', 'team', 'starts_at', 'ends_at', 'updated_at'],
} as const satisfies Record<(typeof SUBPROJECT_TABLES)[number], readonly string[]>;
